"""The journeys run under the portal's real Content-Security-Policy and see its violations: an
inline script and a style attribute put into a page are refused by the browser, and the ``portal``
fixture records both (it fails any journey whose pages cause one)."""

from .setup import ccm_election


def test_the_browser_enforces_the_policy_and_the_journeys_see_violations(portal):
    ccm_election()
    response = portal.goto("/en/elections/journey/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = portal.page
    assert portal.problems == []  # the page itself is clean
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.injected = true";
            document.body.appendChild(s);
            document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.injected === undefined")  # the inline script did not run
    color = page.evaluate("() => getComputedStyle(document.getElementById('styled')).color")
    assert color != "rgb(255, 0, 0)"  # the style attribute was not applied
    seen = "\n".join(portal.problems)
    assert "CSP violation: script-src" in seen and "CSP violation: style-src" in seen
    portal.problems.clear()  # expected here; any other journey fails on them
