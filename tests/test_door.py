"""The door (ccm_analytics/ui/asgi.py): whom the lockout counts, the trusted proxies, the headers on answers."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from ccm_analytics.access import (
    Lockout,
    check_password,
    client_address,
    trusted_proxies,
)
from ccm_analytics.errors import UsageError
from ccm_analytics.ui.asgi import Door, check_startup, startup_problem


def nets(*texts):
    return tuple(ipaddress.ip_network(t) for t in texts)


def test_trusted_proxies_are_addresses_and_networks_comma_separated():
    assert trusted_proxies({"CCM_TRUSTED_PROXIES": " 10.0.0.0/8, 127.0.0.1 ,::1,"}) == nets("10.0.0.0/8", "127.0.0.1/32",
                                                                                           "::1/128")
    assert trusted_proxies({}) == () and trusted_proxies({"CCM_TRUSTED_PROXIES": ""}) == ()


@pytest.mark.parametrize("value, bad", [("10.0.0.0/8,proxy.local", "proxy.local"), ("10.0.0.0/33", "10.0.0.0/33"),
                                        ("300.1.1.1", "300.1.1.1")])
def test_a_bad_trusted_proxies_value_is_refused_naming_it(value, bad):
    with pytest.raises(UsageError) as e:
        trusted_proxies({"CCM_TRUSTED_PROXIES": value})
    assert f"CCM_TRUSTED_PROXIES: '{bad}' is not an IP address or a network" in str(e.value)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address("203.0.113.9", ["1.2.3.4"], ()) == "203.0.113.9"
    assert client_address("127.0.0.1", ["1.2.3.4"], ()) == "127.0.0.1"  # a forwarder on this machine too
    assert client_address("203.0.113.9", ["1.2.3.4"], nets("10.0.0.0/8")) == "203.0.113.9"  # not a proxy of ours


def test_from_a_trusted_proxy_the_right_most_untrusted_address_is_the_client():
    proxies = nets("10.0.0.0/8", "127.0.0.1")
    # The client wrote "6.6.6.6" itself; the outer proxy appended 198.51.100.7; the inner one 10.0.0.3.
    assert client_address("127.0.0.1", ["6.6.6.6, 198.51.100.7", "10.0.0.3"], proxies) == "198.51.100.7"
    assert client_address("10.1.2.3", ["198.51.100.7:5123"], proxies) == "198.51.100.7"  # with a port
    assert client_address("10.1.2.3", ["[2001:db8::5]:443"], proxies) == "2001:db8::5"
    assert client_address("::ffff:10.1.2.3", ["::ffff:198.51.100.7"], proxies) == "198.51.100.7"  # IPv4 as IPv6
    # Nothing usable: the proxy itself is the client.
    assert client_address("10.1.2.3", [], proxies) == "10.1.2.3"
    assert client_address("10.1.2.3", ["10.0.0.9"], proxies) == "10.1.2.3"
    assert client_address("10.1.2.3", ["6.6.6.6, garbage, 10.0.0.9"], proxies) == "10.1.2.3"


def run_door(door_proxies, peer, forwarded):
    """One request through the door: the client the app behind it sees, and the answer's headers."""
    seen, sent = {}, []

    async def app(scope, receive, send):
        seen["client"] = scope["client"]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"ok"})

    async def send(message):
        sent.append(message)

    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    scope = {"type": "http", "client": (peer, 50000), "headers": headers, "path": "/data", "method": "GET"}
    asyncio.run(Door(app, proxies=door_proxies)(scope, None, send))
    return seen["client"][0], {k.decode().lower(): v.decode() for k, v in sent[0]["headers"]}


def test_rotating_x_forwarded_for_from_one_peer_is_locked_after_five_wrong_tries():
    # The attack: a new X-Forwarded-For on every try, through a forwarder on this machine.
    lock = Lockout()
    answers = []
    for n in range(7):
        client, _ = run_door((), "127.0.0.1", [f"203.0.113.{n}"])
        answers.append(check_password("guess", "right", client, lock))
    assert [ok for ok, _ in answers] == [False] * 7
    assert "locked for 60 seconds" in answers[4][1] and "Try again in 60 seconds" in answers[5][1]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count():
    lock = Lockout()
    proxies = nets("127.0.0.1")
    for _ in range(5):
        check_password("guess", "right", run_door(proxies, "127.0.0.1", ["198.51.100.7"])[0], lock)
    assert lock.seconds_locked("198.51.100.7") == pytest.approx(60, abs=1)
    other = run_door(proxies, "127.0.0.1", ["198.51.100.8"])[0]
    assert other == "198.51.100.8" and check_password("right", "right", other, lock) == (True, "")


def test_every_answer_says_no_referrer_nosniff_and_same_origin_frames_only():
    _, headers = run_door((), "127.0.0.1", [])
    assert headers["referrer-policy"] == "no-referrer" and headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN" and headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["content-type"] == "text/html"


def test_the_server_refuses_to_start_when_uvicorn_would_trust_the_header_or_the_proxies_are_bad(capsys):
    with pytest.raises(UsageError, match="FORWARDED_ALLOW_IPS"):
        startup_problem({}, ["streamlit", "run", "serve.py"])
    startup_problem({"FORWARDED_ALLOW_IPS": ""}, [])
    startup_problem({}, ["uvicorn", "serve:app", "--no-proxy-headers"])
    with pytest.raises(SystemExit) as e:
        check_startup({"FORWARDED_ALLOW_IPS": "", "CCM_TRUSTED_PROXIES": "nginx"}, [])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "cannot start" in err and "'nginx' is not an IP address" in err and "Traceback" not in err
    assert check_startup({"FORWARDED_ALLOW_IPS": "", "CCM_TRUSTED_PROXIES": "10.0.0.0/8"}, []) == nets("10.0.0.0/8")


def test_serve_refuses_a_bad_trusted_proxies_value_with_exit_2():
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "ccm_analytics", "serve", "--port", "1"], cwd=ROOT, capture_output=True, check=False,
                          text=True, env={**os.environ, "CCM_TRUSTED_PROXIES": "10.0.0.1, my-proxy"}, timeout=60)
    assert done.returncode == 2 and "'my-proxy' is not an IP address" in done.stderr and "Traceback" not in done.stderr
