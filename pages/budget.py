"""Budget and spend: the year on one screen, year against year at the same day, pledges and cash."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics import i18n
from ccm_analytics import narrative
from ccm_analytics.i18n import _, ngettext
from ccm_analytics.analysis.projection import LINE_FLAG_THRESHOLD, MIN_SEASONAL_SHARE
from ccm_analytics.narrative import pace_words
from ccm_analytics.views import budget_years, default_budget_year
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header(_("Budget and spend"), _("How much is spent, where the year will end, how it compares with last "
                                       "year at this time, and how much money is missing."))
years = budget_years(run.data)
if not years:
    w.empty(_("No budget is loaded."), _("Load a workbook with a Budget sheet on the Data page."))
    st.stop()

default = default_budget_year(run.data, run.as_of)
if len(years) <= 8:
    year = st.segmented_control(_("Budget year"), years, default=default, key="budget_year", format_func=str) or default
else:
    year = st.selectbox(_("Budget year"), years, index=years.index(default), key="budget_year")

if run.as_of.year not in years:  # said plainly: the as-of year has no budget, and which year is shown instead
    st.info(_("No budget is loaded for {year}, the year of the as-of day; this page shows {shown}.").format(
        year=run.as_of.year, shown=year), icon=":material/event_busy:")

v = view("budget", year=year)
s, t, p = v.status, v.status.total, v.projection
cur = s.currency
last = v.last_year
over = p.is_actual
counted = fmt.day(min(run.as_of, s.as_of.replace(month=12, day=31)) if over else run.as_of)

# -- the headline: budget, spent, year-end, received, gap (amounts in the labels' currency) -------------------------
def amount(x) -> str:
    """An amount without its currency (the card's label names it): ``465,440`` (``465 440``, ``465.440``)."""
    if x is None:
        return "–"
    return fmt.chf(x, cur).replace(f"{cur} ", "") if i18n.current() == "en" else fmt.number(x)


def of_budget(share: str) -> str:
    return _("{share} of the budget").format(share=share)


cards = [w.Metric(
    _("Budget {year} ({currency})").format(year=year, currency=cur), amount(t.budget),
    ngettext("{n} cost line.", "{n} cost lines.", len(s.lines)).format(n=fmt.number(len(s.lines))) + " " + (
        _("The year is over.") if over else _("The year has not started.") if p.method is None
        else _("{share} of the year gone on {day}.").format(share=fmt.pct(s.elapsed_fraction), day=fmt.day(run.as_of))))]

spent_caption = ""
if not over and p.method is not None:
    pace = pace_words(t.pace).capitalize()
    spent_caption = _("{pace}. Same day last year: {spent}, {rate}.").format(
        pace=pace, spent=fmt.chf(last["spent"], cur), rate=fmt.pct(last["burn_rate"])) if last is not None else pace + "."
cards.append(w.Metric(_("Spent in {year} ({currency})").format(year=year, currency=cur) if over
                      else _("Spent to date ({currency})").format(currency=cur), amount(t.spent), spent_caption,
                      delta=of_budget(fmt.pct(t.burn_rate)), delta_color="off", delta_arrow=False))

if p.method is None:
    cards.append(w.Metric(_("Projected year-end ({currency})").format(currency=cur), "–",
                          _("Nothing to project before the year starts.")))
else:
    variance = p.year_end - t.budget
    gap = fmt.chf(abs(variance), cur)
    if over:
        end_caption = (_("{amount} over the budget: what was spent in {year}.") if variance > 0 else
                       _("{amount} under the budget: what was spent in {year}.")).format(amount=gap, year=year)
    else:
        # the verdict follows the range (DOMAIN §8): "over budget" only when the whole range is over it
        end_caption = _("{side}. {range}.").format(
            side=narrative.first_upper(narrative.side_words(v.total_outlook, variance, cur)),
            range=narrative.first_upper(narrative.range_words(p.range, cur)))
    cards.append(w.Metric(
        (_("Actual year-end ({currency})") if over else _("Projected year-end ({currency})")).format(currency=cur),
        amount(p.year_end), end_caption,
        delta=_("{share} vs budget").format(
            share=f"{'-' if variance < 0 else '+'}{fmt.pct(abs(variance) / t.budget) if t.budget else '–'}"),
        # red or orange only when the verdict is sure: not while the range holds the budget
        delta_color="inverse" if v.total_outlook in ("over_budget", "under_budget") else "off"))

received_caption = ""
if not over and p.method is not None:
    if v.cash.balance < 0:
        cash_words = _("{amount} more spent than received.").format(amount=fmt.chf(-v.cash.balance, cur))
    elif v.cash.months_covered:
        cash_words = ngettext("Cash {amount}, {months} month of spend.", "Cash {amount}, {months} months of spend.",
                              fmt.plural_n(round(v.cash.months_covered, 1))).format(
            amount=fmt.chf(v.cash.balance, cur), months=fmt.number(v.cash.months_covered, 1))
    else:
        cash_words = _("Cash {amount}.").format(amount=fmt.chf(v.cash.balance, cur))
    received_caption = (_("Same day last year: {amount}.").format(amount=fmt.chf(last["received"], cur)) + " "
                        if last is not None else "") + cash_words
cards.append(w.Metric(_("Funding received ({currency})").format(currency=cur), amount(s.received), received_caption,
                      delta=of_budget(fmt.pct(s.received_share)), delta_color="off", delta_arrow=False))

if v.pledges is not None:
    after = v.pledges.gap_after_pledges
    gap_caption = (_("{pledged} pledged, not yet in: {missing} missing after pledges.") if after > 0 else
                   _("{pledged} pledged, not yet in: pledges cover the gap, {missing} to spare.")).format(
        pledged=fmt.chf(v.pledges.outstanding, cur), missing=fmt.chf(after if after > 0 else -after, cur))
else:
    gap_caption = _("Budget minus contributions received.")
cards.append(w.Metric(_("Funding gap ({currency})").format(currency=cur), amount(s.funding_gap), gap_caption,
                      delta=of_budget(fmt.pct(s.funding_gap / t.budget) if t.budget else "–"), delta_color="off",
                      delta_arrow=False))
w.metrics(cards, key="budget")

# -- every cost line, hot lines first ---------------------------------------------------------------------------
if t.budget == 0 and t.spent == 0:
    w.empty(_("Nothing is budgeted or spent for {year}.").format(year=year))
else:
    n_hot = int(v.outlook["flag"].sum())
    heading = ((ngettext("**Cost lines**: {n} line off budget by more than {share} at year-end (listed first).",
                          "**Cost lines**: {n} lines off budget by more than {share} at year-end (listed first).", n_hot)
                 if n_hot else
                 _("**Cost lines**: {n} lines off budget by more than {share} at year-end.")).format(
        n=fmt.number(n_hot), share=fmt.pct(LINE_FLAG_THRESHOLD)))
    w.table(v.outlook, f"budget-lines-{year}", key="outlook", status_columns=("status",), caption=heading,
            # the range's columns only where a line has one (no empty "–" columns widening the table)
            columns=["cost_line", "status", "variance_share", "year_end"]
            + (["low", "high"] if v.outlook[["low", "high"]].notna().any().any() else [])
            + ["budget", "spent", "burn_rate", "pace_words"],
            column_config={
                "cost_line": _("Cost line"), "status": _("Outlook"), "variance_share": w.pct_col(_("Year-end vs budget")),
                "year_end": w.chf_col(_("Actual") if over else _("Year-end"), cur),
                "low": w.chf_col(_("Year-end, low"), cur), "high": w.chf_col(_("Year-end, high"), cur),
                "budget": w.chf_col(_("Budget"), cur), "spent": w.chf_col(_("Spent"), cur),
                "burn_rate": w.pct_col(_("Spent / budget")), "pace_words": _("Pace vs calendar")})

# -- how the year-end was projected ------------------------------------------------------------------------------
if p.method in ("seasonal", "linear") and not over:
    bt = p.backtest
    learned = f"{p.history[0]}–{p.history[-1]}" if len(p.history) > 1 else (str(p.history[0]) if p.history else "")
    if p.method == "seasonal":
        how = _("**Seasonal projection**: each cost line's spend so far divided by the share of its annual spend "
                "that {years} had spent by {day}.").format(years=learned, day=fmt.day(run.as_of)[:-5]) + " "
    else:
        how = _("**Straight-line projection**: spend so far divided by the share of the year gone.") + " "
    if bt is not None:
        other_end = p.linear_year_end if p.method == "seasonal" else p.seasonal_year_end
        how += (_("Replayed at every month-end of {years}, it was off the real year-end by {error} on average; the "
                  "straight line ({other_end}) by {other_error}.") if p.method == "seasonal" else
                _("Replayed at every month-end of {years}, it was off the real year-end by {error} on average; the "
                  "seasonal method ({other_end}) by {other_error}.")).format(
            years=", ".join(map(str, bt.years)), error=fmt.chf(min(bt.linear_mae, bt.seasonal_mae), cur),
            other_end=fmt.chf(other_end, cur), other_error=fmt.chf(max(bt.linear_mae, bt.seasonal_mae), cur))
    else:
        how += _("It is used until two complete earlier years allow the methods to be compared.")
    st.caption(how)

tab_years, tab_lines, tab_year, tab_money, tab_multi = w.tabs(
    {"years": _("Year against year"), "lines": _("Cost lines in detail"), "year": _("Over the year"),
     "money": _("Funding, pledges and cash"),
     "all": _("All years ({first}–{last})").format(first=years[0], last=years[-1])}, key="budget_tab")
with tab_years:
    if tab_years.open and (v.same_day is None or v.same_day.empty):
        w.empty(_("{year} has not started on {day}.").format(year=year, day=fmt.day(run.as_of)))
    elif tab_years.open:
        w.plot(figures.spend_by_day_of_year, v.by_day_of_year, t.budget, year, run.as_of, cur,
               name=f"spend-by-day-of-year-{year}")
        totals = v.same_day[v.same_day["cost_line"] == "Total"]
        w.table(totals, f"budget-same-day-{year}", key="same_day_total", caption=_(
                    "**Each year at the same day** ({day}; 29 February counts as the end of February).").format(
                    day=fmt.day(totals["day"].iloc[0])[:-5]),
                columns=["year", "day", "budget", "spent", "burn_rate", "received", "elapsed_fraction"],
                column_config={"year": w.year_col(_("Year")), "day": w.date_col(_("Counted to")),
                               "budget": w.chf_col(_("Budget"), cur), "spent": w.chf_col(_("Spent"), cur),
                               "burn_rate": w.pct_col(_("Spent / budget")), "received": w.chf_col(_("Received"), cur),
                               "elapsed_fraction": w.pct_col(_("Year gone"))})
        wide = v.same_day_lines
        shown_years = sorted(v.same_day["year"].unique(), reverse=True)
        w.table(wide, f"budget-same-day-lines-{year}", key="same_day_lines", caption=_(
                    "**Each cost line at the same day**: spent, and spent as a share of that year's budget."),
                column_config={
            "cost_line": _("Cost line"),
            **{f"spent_{y}": w.chf_col(_("Spent {year}").format(year=y), cur) for y in shown_years},
            **{f"burn_rate_{y}": w.pct_col(_("{year} / budget").format(year=y)) for y in shown_years}})
with tab_lines:
    if tab_lines.open and t.budget == 0 and t.spent == 0:
        w.empty(_("Nothing is budgeted or spent for {year}.").format(year=year))
    elif tab_lines.open:
        w.plot(figures.budget_by_line, s.lines.assign(projected_year_end=s.lines["cost_line"].map(
            v.outlook.set_index("cost_line")["year_end"])), year, run.as_of, cur, name=f"budget-by-line-{year}")
        if p.method in ("seasonal", "linear") and p.history:
            st.markdown(_("**Both projections per line.** The seasonal one falls back to the straight line where no "
                          "earlier year spent at least {share} of the line by this day.").format(
                share=fmt.pct(MIN_SEASONAL_SHARE)))
            w.table(p.lines.assign(share=p.lines["share"].map(fmt.pct)), f"budget-projections-{year}",
                    key="projections", columns=["cost_line", "spent", "share", "linear", "seasonal", "seasonal_fallback"],
                    column_config={"cost_line": _("Cost line"), "spent": w.chf_col(_("Spent"), cur),
                                   "share": st.column_config.TextColumn(_("Share spent by this day in earlier years")),
                                   "linear": w.chf_col(_("Straight line"), cur),
                                   "seasonal": w.chf_col(_("Seasonal"), cur),
                                   "seasonal_fallback": st.column_config.CheckboxColumn(_("Straight line used"))})
with tab_year:
    if tab_year.open:
        w.plot(figures.cumulative_spend, v.cumulative, year, run.as_of, cur, name=f"cumulative-spend-{year}")
        if v.monthly.empty:
            w.empty(_("No spend recorded for {year} up to {day}.").format(year=year, day=fmt.day(run.as_of)))
        else:
            w.plot(figures.monthly_spend, v.monthly, year, run.as_of, cur, name=f"monthly-spend-{year}")
        if p.backtest is not None:
            st.markdown(_("**The backtest**: at every month-end of the complete years, each method's projection "
                          "against that year's real year-end."))
            w.table(p.backtest.errors, f"budget-backtest-{year}", key="backtest",
                    column_config={"year": w.year_col(_("Year")), "day": w.date_col(_("Month-end")),
                                   "actual": w.chf_col(_("Real year-end"), cur),
                                   "linear": w.chf_col(_("Straight line"), cur),
                                   "seasonal": w.chf_col(_("Seasonal"), cur),
                                   "linear_error": w.chf_col(_("Straight-line error"), cur),
                                   "seasonal_error": w.chf_col(_("Seasonal error"), cur)})
with tab_money:
    if tab_money.open:
        cash = v.cash
        words = dict(year=year, day=counted, received=fmt.chf(s.received, cur), spent=fmt.chf(t.spent, cur),
                     balance=fmt.chf(cash.balance, cur))
        st.markdown((ngettext("**Cash for {year}** on {day}: received {received} − spent {spent} = **{balance}**, "
                              "{months} month of spend at the current rate of {rate} a month.",
                              "**Cash for {year}** on {day}: received {received} − spent {spent} = **{balance}**, "
                              "{months} months of spend at the current rate of {rate} a month.",
                              fmt.plural_n(round(cash.months_covered or 0, 1))).format(
                         months=fmt.number(cash.months_covered, 1), rate=fmt.chf(cash.monthly_rate, cur), **words)
                     if cash.months_covered is not None else
                     _("**Cash for {year}** on {day}: received {received} − spent {spent} = **{balance}**.").format(
                         **words))
                    + (" " + _("More has been spent than received for the year: the difference is paid from "
                               "reserves.") if cash.balance < 0 else ""))
        if v.pledges is not None:
            pl = v.pledges
            st.markdown((_("**Pledges for {year}** made by {day}: {pledged} pledged, {outstanding} of it not yet "
                           "received; the gap after pledges is {gap}.") if pl.gap_after_pledges > 0 else
                         _("**Pledges for {year}** made by {day}: {pledged} pledged, {outstanding} of it not yet "
                           "received; with them the budget is covered, {gap} to spare.")).format(
                year=year, day=counted, pledged=fmt.chf(pl.pledged, cur), outstanding=fmt.chf(pl.outstanding, cur),
                gap=fmt.chf(abs(pl.gap_after_pledges), cur))
                        + (" *" + _("The sample's pledges are illustrative.") + "*"
                           if "pledges" in run.sample_datasets else ""))
            w.table(pl.by_donor, f"pledges-{year}", key="pledges", column_config={
                "donor": _("Donor"), "pledged": w.chf_col(_("Pledged"), cur), "received": w.chf_col(_("Received"), cur),
                "outstanding": w.chf_col(_("Not yet received"), cur)})
        if v.contributions_by_donor.empty:
            w.empty(_("No contribution for {year} received by {day}.").format(year=year, day=fmt.day(run.as_of)))
        else:
            col1, col2 = st.columns(2)
            with col1:
                w.plot(figures.contributions_over_year, v.contributions_by_month, t.budget, year, run.as_of, cur,
                       name=f"contributions-{year}")
            with col2:
                w.plot(figures.contributions_by_donor, v.contributions_by_donor, year, run.as_of, cur,
                       name=f"contributions-by-donor-{year}")
            w.table(v.contributions_by_donor, f"contributions-by-donor-{year}", column_config={
                "donor": _("Donor"), "amount": w.chf_col(_("Amount"), cur), "contributions": w.int_col(_("Payments")),
                "last_received": w.date_col(_("Last received"))})

with tab_multi:
    if tab_multi.open:
        w.plot(figures.multi_year, v.multi_year, run.as_of, cur, name="budget-multi-year")
        same = fmt.day(run.as_of)[:-5]
        st.caption((_("Spent and received count each year up to {day} (whole years for the past); the columns “by "
                      "{same}” count every year up to the same day, for a fair comparison.") if same else
                    _("Spent and received count each year up to {day} (whole years for the past).")).format(
            day=fmt.day(run.as_of), same=same))
        w.table(v.multi_year, "budget-multi-year", column_config={
            "year": w.year_col(_("Year")), "budget": w.chf_col(_("Budget"), cur),
            "spent": w.chf_col(_("Spent"), cur), "received": w.chf_col(_("Received"), cur),
            "spent_same_day": w.chf_col(_("Spent by {day}").format(day=same) if same else _("Spent by the same day"),
                                        cur),
            "received_same_day": w.chf_col(_("Received by {day}").format(day=same) if same
                                           else _("Received by the same day"), cur),
            "burn_rate": w.pct_col(_("Burn rate")), "received_share": w.pct_col(_("Received / budget")),
            "elapsed_fraction": w.pct_col(_("Year elapsed"))})
