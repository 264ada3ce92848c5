"""The sandbox's HTML pages. Every value that comes from a request, a payment or a profile
goes through :func:`esc` (html.escape with quotes): nothing a link carries can become markup.
No secret is ever passed to these functions, so none can reach a page.

Plain HTML forms that work without JavaScript; one stylesheet and one small script (a click
on a test card fills the form) are served by the sandbox itself: no external assets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from ecp_cli.payment_page import currencies
from ecp_cli.sandbox import outcomes


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def amount_text(amount: int, currency: str) -> str:
    return currencies.format_amount(amount, currency) if currencies.is_known(currency) else (
        f"{amount} {currency}"
    )


def page(title: str, body: str, *, layout: str = "", data: Mapping[str, str] | None = None) -> str:
    attributes = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in (data or {}).items())
    css_class = f' class="{esc(layout)}"' if layout else ""
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)} · ecp sandbox</title>"
        "<link rel=\"stylesheet\" href=\"/static/sandbox.css\"></head><body>"
        "<header class=\"bar\"><span class=\"brand\">ecp sandbox</span>"
        "<span class=\"tag\">test mode: no money moves</span></header>"
        f"<main{css_class}{attributes}>{body}</main>"
        "<script src=\"/static/sandbox.js\"></script></body></html>\n"
    )


def _facts(rows: Iterable[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v not in (None, ""))
    return f"<dl class=\"facts\">{items}</dl>"


def cards_panel() -> str:
    rows = "".join(
        f"<tr title=\"{esc(card.brand)}: {esc(card.summary)}\"><td><button type=\"button\" "
        f"class=\"card\" data-card=\"{esc(card.number)}\" aria-label=\"Fill the form with "
        f"{esc(card.number)}\">{esc(card.number)}</button></td><td>{esc(card.short)}</td></tr>"
        for card in outcomes.cards().values()
    )
    return (
        "<section aria-labelledby=\"cards-title\"><h2 id=\"cards-title\">Test cards</h2>"
        "<p class=\"hint\">The card number picks the outcome; any future expiry, any CVV. "
        f"The 3-D Secure page accepts the code <code>{esc(outcomes.ACS_CODE)}</code>. "
        "Another card number declines with 3101.</p>"
        "<table><thead><tr><th>Card</th><th>What happens</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _field(name: str, label: str, value: str, errors: Mapping[str, str], **attrs: str) -> str:
    error = errors.get(name)
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    described = f' aria-describedby="{esc(name)}-error" aria-invalid="true"' if error else ""
    message = f"<div class=\"error\" id=\"{esc(name)}-error\">{esc(error)}</div>" if error else ""
    return (
        f"<div class=\"field{' invalid' if error else ''}\"><label for=\"{esc(name)}\">"
        f"{esc(label)}</label><input type=\"text\" id=\"{esc(name)}\" name=\"{esc(name)}\" "
        f"value=\"{esc(value)}\"{extra}{described}>{message}</div>"
    )


def checkout(payment, project_name: str | None, values: Mapping[str, str] | None = None,
             errors: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The checkout: what is paid, to whom, and the card form."""
    values, errors = values or {}, errors or {}
    params = payment.params
    holder = values.get("card_holder") or " ".join(
        filter(None, (params.get("customer_first_name"), params.get("customer_last_name")))
    ).upper()
    if payment.mode == "card_tokenize":
        heading, button = "Save a card", "Save card"
        amount_html = "<p class=\"muted\">No payment: the card is saved for later payments.</p>"
    else:
        heading = {"payout": "Receive a payout", "card_verify": "Verify a card"}.get(
            payment.mode, "Pay"
        )
        shown = amount_text(payment.amount, payment.currency)
        button = "Verify card" if payment.mode == "card_verify" else f"Pay {shown}"
        amount_html = f"<p class=\"amount\">{esc(shown)}</p>"
    form_error = (
        f"<p class=\"error\" role=\"alert\">{esc(errors['form'])}</p>" if errors.get("form") else ""
    )
    summary = _facts([
        ("Project", f"{payment.project_id}" + (f" ({project_name})" if project_name else "")),
        ("Payment", payment.payment_id),
        ("Description", payment.description),
        ("Customer", params.get("customer_id")),
        ("E-mail", params.get("customer_email")),
        ("Phone", params.get("customer_phone")),
        ("Operation", "auth (funds held until capture)"
         if payment.operation_type == "auth" else None),
        ("Card on file", "the card is registered for later payments"
         if params.get("recurring_register") in ("1", "true", "True") else None),
    ])  # fmt: skip
    form = (
        f"<form method=\"post\" action=\"/payment/pay\" id=\"checkout\" novalidate>"
        f"<input type=\"hidden\" name=\"session\" value=\"{esc(payment.session)}\">"
        + _field("card_number", "Card number", "", errors, inputmode="numeric",
                 autocomplete="cc-number", placeholder="4000 0000 0000 0077")
        + "<div class=\"row\">"
        + _field("expiry_month", "Month", values.get("expiry_month", ""), errors,
                 inputmode="numeric", autocomplete="cc-exp-month", placeholder="MM")
        + _field("expiry_year", "Year", values.get("expiry_year", ""), errors,
                 inputmode="numeric", autocomplete="cc-exp-year", placeholder="YYYY")
        + _field("cvv", "CVV", "", errors, inputmode="numeric", autocomplete="cc-csc",
                 placeholder="123")
        + "</div>"
        + _field("card_holder", "Cardholder", holder, errors, autocomplete="cc-name")
        + f"<button type=\"submit\" class=\"pay\">{esc(button)}</button></form>"
    )  # fmt: skip
    body = (
        f"<section aria-labelledby=\"title\"><h1 id=\"title\">{esc(heading)}</h1>{amount_html}"
        f"{summary}{form_error}{form}</section>{cards_panel()}"
    )
    return page(heading, body, layout="split", data={"page": "checkout"})


def acs(payment, error: str | None = None) -> str:
    """The issuer's 3-D Secure challenge, as the sandbox plays it."""
    card = (payment.card or {}).get("number", "")
    message = f"<p class=\"error\" role=\"alert\">{esc(error)}</p>" if error else ""
    body = (
        "<section aria-labelledby=\"title\"><h1 id=\"title\">3-D Secure check</h1>"
        "<p>Your bank asks you to confirm this payment.</p>"
        + _facts([("Amount", amount_text(payment.amount, payment.currency)),
                  ("Merchant", f"project {payment.project_id}"), ("Card", card)])
        + message
        + f"<form method=\"post\" action=\"/acs/{esc(payment.session)}\" id=\"acs\">"
        "<div class=\"field\"><label for=\"code\">Confirmation code</label>"
        "<input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" "
        "autocomplete=\"one-time-code\" autofocus></div>"
        f"<p class=\"hint\">The sandbox accepts <code>{esc(outcomes.ACS_CODE)}</code>; "
        "any other code declines the payment with 104.</p>"
        "<button type=\"submit\" class=\"pay\">Confirm</button></form></section>"
    )  # fmt: skip
    return page("3-D Secure", body, data={"page": "acs"})


RESULT_TITLES = {
    "success": "Payment successful",
    "awaiting capture": "Payment authorised: funds held",
    "decline": "Payment declined",
    "error": "Payment failed",
}


def result(payment) -> str:
    """Where the checkout ends (when the link names no redirect)."""
    from ecp_cli.callbacks.reference import response_code

    operation = payment.last_operation or {}
    code = str(operation.get("code", ""))
    if payment.type == "tokenize":
        title, css = "Card saved", "success"
    else:
        title = RESULT_TITLES.get(payment.status, f"Payment {payment.status}")
        css = "success" if payment.status in ("success", "awaiting capture") else payment.status
    approved = css == "success"
    links = []
    for name, text in (
        ("merchant_success_url" if approved else "merchant_fail_url",
         "Back to the shop"),
        ("merchant_return_url", "Return to the shop"),
    ):  # fmt: skip
        url = payment.params.get(name)
        if url:
            links.append(f"<a href=\"{esc(url)}\">{esc(text)}</a>")
    info = response_code(code) if code else None
    body = (
        f"<section aria-labelledby=\"title\"><h1 id=\"title\" class=\"status {esc(css)}\">"
        f"{esc(title)}</h1>"
        + _facts([
            ("Payment", payment.payment_id),
            ("Amount", amount_text(payment.amount, payment.currency)
             if payment.type != "tokenize" else None),
            ("Card", (payment.card or {}).get("number")),
            ("Token", payment.token),
            ("Status", payment.status),
            ("Code", f"{code} {info.message}" if info else None),
        ])
        + (f"<p class=\"links\">{''.join(links)}</p>" if links else "")
        + "<p class=\"hint\">The shop has been sent the signed callback.</p></section>"
    )  # fmt: skip
    facts = {"page": "result", "payment-status": payment.status, "code": code,
             "payment-id": payment.payment_id or ""}  # fmt: skip
    return page(title, body, data=facts)


def refused(problems, diagnosis=None, string_to_sign: str | None = None) -> str:
    """The Payment Page refused the link: each problem with the platform's code, and for a
    bad signature the cause ecp diagnosed and what to change (never a signature to copy)."""
    items = "".join(
        "<li>"
        + (f"<strong>{esc(p.code)}</strong> " if p.code else "")
        + f"{esc(p.message)}"
        + (f" (<code>{esc(p.field)}</code>)" if p.field else "")
        + (f"<div class=\"hint\">{esc(p.description)}</div>" if p.description else "")
        + "</li>"
        for p in problems
    )
    diagnosis_html = ""
    if diagnosis is not None:
        diagnosis_html = (
            "<h2>Why the signature does not match</h2>"
            f"<p id=\"cause\">{esc(diagnosis.message)}</p>"
            f"<p><strong>What to change:</strong> <span id=\"fix\">{esc(diagnosis.hint)}</span></p>"
            f"<p class=\"hint\">The string the platform signs for this link:</p>"
            f"<p><code>{esc(diagnosis.string_to_sign)}</code></p>"
        )
    body = (
        "<section aria-labelledby=\"title\"><h1 id=\"title\" class=\"status refused\">"
        "The Payment Page refused this link</h1>"
        f"<ul class=\"problems\">{items}</ul>{diagnosis_html}</section>"
    )
    first = problems[0].code if problems and problems[0].code else ""
    return page("Refused", body, data={"page": "error", "code": first or ""})


def not_found(what: str) -> str:
    body = f"<section><h1 class=\"status refused\">Not found</h1><p>{esc(what)}</p></section>"
    return page("Not found", body, data={"page": "error"})


def index(base_url: str, projects, payments) -> str:
    """The sandbox's home: how to point a profile at it, the projects, the latest payments."""
    profile_lines = "\n".join(
        f"{name}: {base_url}" for name in ("payment_page_url", "api_url", "check_url")
    )
    project_rows = "".join(
        f"<tr><td>{esc(p.project_id)}</td><td>{esc(p.name or '')}</td></tr>" for p in projects
    )
    payment_rows = "".join(
        f"<tr><td>{esc(p.project_id)}</td><td class=\"mono\">{esc(p.payment_id or '')}</td>"
        f"<td>{esc(p.status)}</td><td>{esc(amount_text(p.amount, p.currency))}</td>"
        f"<td class=\"mono\">{esc((p.card or {}).get('number', ''))}</td></tr>"
        for p in payments
    ) or "<tr><td colspan=\"5\" class=\"muted\">No payments yet.</td></tr>"
    body = (
        "<section><h1>The ecommpay platform, on your machine</h1>"
        "<p>Payment Page at <code>/payment</code>, Gate API at <code>/v2/…</code>, "
        "parameter pre-check at <code>/params/check</code>. Point a profile here:</p>"
        f"<pre><code>{esc(profile_lines)}</code></pre>"
        "<h2>Projects</h2><table><thead><tr><th>project_id</th><th>profile</th></tr></thead>"
        f"<tbody>{project_rows}</tbody></table></section>"
        "<section><h2>Latest payments</h2><table><thead><tr><th>project</th><th>payment</th>"
        "<th>status</th><th>amount</th><th>card</th></tr></thead>"
        f"<tbody>{payment_rows}</tbody></table></section>{cards_panel()}"
    )
    return page("Home", body, data={"page": "index"})
