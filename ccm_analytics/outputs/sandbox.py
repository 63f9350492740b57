"""The one place where a user's template (Jinja syntax) is parsed and filled: it can never run code.

A template uploaded by a user (today the letterhead of the reminder letters, filled by docxtpl)
is read by :class:`TemplateSandbox`, Jinja2's ``ImmutableSandboxedEnvironment`` narrowed further:

* **Only the documented placeholders.** No globals at all (no ``range``, ``dict``, ``cycler``,
  ``joiner``, ``lipsum``, ``namespace``); every name a template reads must be one of the
  placeholders it was given, or a loop variable it declares. ``self`` and names or attributes
  starting with ``_`` are refused when the template is parsed; the sandbox refuses any other
  unsafe attribute when it is read.
* **Only what a letter needs.** Output ``{{ ... }}``, ``{% if %}`` and ``{% for %}`` over
  placeholders, comparisons, ``~`` and arithmetic, and a few filters whose result is no bigger
  than what they are given (:data:`FILTERS`). No calls ``f(...)``, ``{% set %}``, macros,
  ``{% include %}``, ``{% import %}``, ``{% extends %}`` or blocks.
* **Bounded time and size, checked while filling, before anything large is made**
  (:data:`LIMITS`, DOMAIN.md section 9): loop repetitions per document, characters of any one
  value (``'9' * 3000000000`` is refused before a character is allocated: ``*``, ``**``, ``+``
  and ``~`` check the size of their result first), characters written per document, digits of
  a number, and a deadline per document checked at every loop step, value and output piece.

Every refusal is a :class:`TemplateRefused` (a :class:`~ccm_analytics.errors.UsageError`) whose
message names the construct or the limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

from jinja2 import meta, nodes
from jinja2.compiler import CodeGenerator
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.runtime import Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import formatting as fmt
from ..errors import UsageError
from ..i18n import _, ngettext

MAX_LOOP_STEPS = 10_000          # loop repetitions per document (a letter loops over ~20 reports)
MAX_VALUE_CHARS = 100_000        # characters of any one value made by the template (a sentence is < 1,000)
MAX_OUTPUT_CHARS = 20_000_000    # characters written per document part (a heavy letterhead's XML is ~2 MB)
MAX_NUMBER_BITS = 256            # about 77 digits: no letter counts further
MAX_SECONDS = 10.0               # to fill one document (a letter takes well under 0.5 s)

LIMITS = {"loop_steps": MAX_LOOP_STEPS, "value_chars": MAX_VALUE_CHARS, "output_chars": MAX_OUTPUT_CHARS,
          "number_bits": MAX_NUMBER_BITS, "seconds": MAX_SECONDS}

# Filters a template may use: each gives back no more than it is given (the escape at most 6 times).
FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "d", "e", "escape", "length", "count",
           "first", "last", "int", "float", "round", "abs")

# Syntax a template may use; anything else is refused when the template is parsed.
_ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Name, nodes.Getattr,
                  nodes.Getitem, nodes.Slice, nodes.For, nodes.If, nodes.CondExpr, nodes.Compare, nodes.Operand,
                  nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Filter, nodes.Test, nodes.Concat,
                  nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.List,
                  nodes.Tuple, nodes.Dict, nodes.Pair, nodes.Keyword)
# How a refused construct is named to the user.
_CONSTRUCTS = {nodes.Call: "( ... ) (a call)", nodes.Macro: "{% macro %}", nodes.CallBlock: "{% call %}",
               nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}", nodes.Include: "{% include %}",
               nodes.Import: "{% import %}", nodes.FromImport: "{% from ... import %}",
               nodes.Extends: "{% extends %}", nodes.Block: "{% block %}", nodes.With: "{% with %}",
               nodes.FilterBlock: "{% filter %}", nodes.ScopedEvalContextModifier: "{% autoescape %}",
               nodes.EvalContextModifier: "{% autoescape %}"}
_SPECIAL_NAMES = {"self", "caller", "varargs", "kwargs", "loop"}


class TemplateRefused(UsageError):
    """A user's template uses something templates may not use, or passed a limit while being filled."""


def _refuse_limit(what: str) -> TemplateRefused:
    return TemplateRefused(_("The template was refused: {what} (see DOMAIN.md section 9).").format(what=what))


def text_size(value: Any, limit: int) -> int:
    """The characters ``value`` makes once written, counted without writing it; stops past ``limit``.
    Lists, tuples and dicts (a template's literals, the reports) are walked, never turned into text."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        n = 2
        for item in value:
            n += text_size(item, limit) + 2
            if n > limit:
                return n
        return n
    if isinstance(value, dict):
        n = 2
        for key, item in value.items():
            n += text_size(key, limit) + text_size(item, limit) + 4
            if n > limit:
                return n
        return n
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, math.ceil(value.bit_length() * 0.302) + 1)  # log10(2): digits, never computed
    if isinstance(value, Undefined):
        return 0
    return len(str(value))  # numbers, None, True, a loop's state: short


class _SandboxCode(CodeGenerator):
    """Writes ``~`` as a call that counts the parts' sizes before joining them."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.bounded_concat(context.eval_ctx.autoescape, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """A Jinja environment for users' templates: only ``placeholders``, no code, bounded time and size.

    Make one per document filled: its loop steps and deadline count from its creation.

    Args:
        placeholders: The names a template may read (e.g. ``letters.PLACEHOLDERS``).
    """

    code_generator_class = _SandboxCode
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, placeholders: Iterable[str], **options: Any) -> None:
        super().__init__(optimized=False, finalize=self._finalize, **options)  # no folding at compile time
        self.placeholders = frozenset(placeholders)
        self.globals.clear()
        self.filters = {name: JINJA_FILTERS[name] for name in FILTERS}
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    # -- parsing: only the allowed syntax and names -------------------------------------------------
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        self.validate(tree)
        for loop in list(tree.find_all(nodes.For)):  # every loop step goes through the counter
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [loop.iter], [], None, None)
        return tree

    def validate(self, tree: nodes.Template) -> None:
        """Refuse any filter, name, attribute or construct a template may not use (in that order: the
        names say most about what was tried; the filters must be known before names are looked for)."""

        for node in tree.find_all(nodes.Filter):
            if node.name not in self.filters:
                raise TemplateRefused(_("The template uses the filter |{name}, which templates may not use; the "
                                        "filters available are: {filters}.").format(
                                            name=node.name, filters=", ".join(FILTERS)))
        unknown = sorted(meta.find_undeclared_variables(tree) - self.placeholders)
        if unknown:
            raise self._unknown(unknown)
        for node in tree.find_all(nodes.Name):
            if node.name in _SPECIAL_NAMES - {"loop"} or node.name.startswith("_") \
                    or (node.ctx != "load" and node.name in _SPECIAL_NAMES):
                raise self._unknown([node.name])
        hidden = [node.attr for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")]
        hidden += [node.arg.value for node in tree.find_all(nodes.Getitem) if isinstance(node.arg, nodes.Const)
                   and isinstance(node.arg.value, str) and node.arg.value.startswith("_")]
        if hidden:  # a chain a.b.c is found from its end: name its start first
            raise TemplateRefused(_("The template reads {attributes}: a template may read only the placeholders and "
                                    "their documented fields, never a hidden attribute (one starting with _).").format(
                                        attributes=", ".join("." + a for a in dict.fromkeys(reversed(hidden)))))
        for node in tree.find_all(nodes.Node):
            if not isinstance(node, _ALLOWED_NODES):
                what = next((v for k, v in _CONSTRUCTS.items() if isinstance(node, k)), type(node).__name__)
                raise TemplateRefused(_("The template uses {construct}, which templates may not use: only "
                                        "placeholders {output}, {condition} and {loop} over them.").format(
                                            construct=what, output="{{ ... }}", condition="{% if %}",
                                            loop="{% for %}"))

    def _unknown(self, names: list[str]) -> TemplateRefused:
        return TemplateRefused(ngettext(
            "The template uses {names}, which is not among its placeholders ({placeholders}).",
            "The template uses {names}, which are not among its placeholders ({placeholders}).", len(names)).format(
                names=", ".join(names), placeholders=", ".join(sorted(self.placeholders))))

    # -- filling: every step counted ----------------------------------------------------------------
    def tick(self) -> None:
        """Refuse once this document's time is up."""
        if time.monotonic() > self.deadline:
            raise _refuse_limit(_("filling one document took more than {seconds} seconds").format(
                seconds=fmt.number(MAX_SECONDS)))

    def bounded_iter(self, iterable: Any):
        """A loop's items, each step counted against this document's limit and deadline."""
        if isinstance(iterable, Undefined):
            return iterable
        return self._steps(iterable)

    def _steps(self, iterable: Any):
        for item in iterable:
            self.steps += 1
            if self.steps > MAX_LOOP_STEPS:
                raise _refuse_limit(_("its loops repeat more than {limit} times for one document").format(
                    limit=fmt.number(MAX_LOOP_STEPS)))
            self.tick()
            yield item

    def check_value(self, size: int) -> None:
        if size > MAX_VALUE_CHARS:
            raise _refuse_limit(_("it would make a text or list of {size} characters or items; the limit is "
                                  "{limit}").format(size=fmt.number(size), limit=fmt.number(MAX_VALUE_CHARS)))

    def bounded_concat(self, autoescape: bool, parts: tuple) -> str:
        """``a ~ b``: the parts' sizes are added up before they are joined."""
        self.tick()
        self.check_value(sum(text_size(p, MAX_VALUE_CHARS + 1) for p in parts))
        return markup_join(parts) if autoescape else str_join(parts)

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``+`` and ``%`` with the result's size worked out before it is made."""
        self.tick()
        numbers = all(isinstance(x, (int, float)) for x in (left, right))
        if operator_ == "%" and not numbers:
            raise TemplateRefused(_("The template uses % on a text; write the placeholders where the values go "
                                    "instead."))
        if operator_ == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
                and right * left.bit_length() > MAX_NUMBER_BITS:
            raise self._big_number()
        if operator_ == "*":
            if numbers and isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
                raise self._big_number()
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    self.check_value(text_size(seq, MAX_VALUE_CHARS + 1) * max(times, 0))
        if operator_ == "+" and not numbers:
            self.check_value(text_size(left, MAX_VALUE_CHARS + 1) + text_size(right, MAX_VALUE_CHARS + 1))
        result = self.binop_table[operator_](left, right)
        if isinstance(result, int) and result.bit_length() > MAX_NUMBER_BITS:
            raise self._big_number()
        return result

    def _big_number(self) -> TemplateRefused:
        return _refuse_limit(_("it would compute a number of more than {digits} digits").format(
            digits=fmt.number(int(MAX_NUMBER_BITS * 0.302))))

    def _finalize(self, value: Any) -> Any:
        """Every value written by ``{{ ... }}``: sized before it is turned into text."""
        self.tick()
        self.check_value(text_size(value, MAX_VALUE_CHARS + 1))
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]
        """A whole document part, counted piece by piece as it is written."""
        out, n = [], 0
        for piece in pieces:
            n += len(piece)
            if n > MAX_OUTPUT_CHARS:
                raise _refuse_limit(_("it writes more than {limit} characters into one document").format(
                    limit=fmt.number(MAX_OUTPUT_CHARS)))
            self.tick()
            out.append(piece)
        return "".join(out)


def sandbox(placeholders: Iterable[str]) -> TemplateSandbox:
    """A fresh sandbox for one document (its limits count from now)."""
    return TemplateSandbox(placeholders, autoescape=True)


__all__ = ["FILTERS", "LIMITS", "TemplateRefused", "TemplateSandbox", "sandbox", "text_size"]
