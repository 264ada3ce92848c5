"""What the platform's response code categories, statuses and types mean, in ecp's words.

Plain-English explanations for a developer reading a callback: ours, not the platform's
(its own short texts are in ``data/*.csv``, read by :mod:`ecp_cli.callbacks.reference`).
Statuses and types are keyed by the folded spelling (lower case, spaces:
``reference.fold``). What to *do* about a code is in :mod:`ecp_cli.callbacks.advice`.
"""

# What each category of response code says about who stopped the operation.
CATEGORY_MEANINGS = {
    "success": "The operation went through.",
    "pending": "The operation is still in progress, so this is not its final result yet.",
    "platform": (
        "The ecommpay platform itself stopped or failed the operation: a general check, a "
        "project setting or its own processing."
    ),
    "risk": (
        "The platform's risk control system rejected the operation, for example because the "
        "card, customer, IP address or email is blocked, or a limit was hit."
    ),
    "request": (
        "The request did not pass validation: a parameter is missing, malformed or not "
        "allowed for this project."
    ),
    "business": (
        "The request was well formed but broke a business rule, such as a project setting, "
        "an amount or payout limit, a card restriction or the payment's current state."
    ),
    "issuer": (
        "The card side (the issuing bank, the card scheme or the acquirer) declined the "
        "operation or could not process it."
    ),
    "provider": (
        "The alternative payment provider (a wallet, bank transfer or mobile operator, for "
        "example) declined the operation or could not process it."
    ),
    "merchant": (
        "The operation stopped because of a decision on the merchant's side, for example "
        "the merchant declined it or did not confirm it in time."
    ),
    "unknown": (
        "The code is in none of the ranges the platform documents, so where it comes from "
        "is unknown."
    ),
}


# What each status means for the merchant, keyed by the CSV spelling. A payment status
# describes the payment as a whole; an operation status describes one step inside it.
PAYMENT_STATUS_MEANINGS = {
    "processing": (
        "The payment is being processed; wait for a final status before you ship anything."
    ),
    "awaiting 3ds result": (
        "The customer is going through 3-D Secure authentication with their bank; the "
        "payment goes on once the result comes back."
    ),
    "awaiting redirect result": (
        "The customer was sent to an outside page (a bank or payment provider) and the "
        "platform waits for them to return or for the provider's answer."
    ),
    "awaiting customer": (
        "The payment waits for the customer to pay outside the payment form, for example "
        "with a voucher or in a banking app; it ends when they do or time runs out."
    ),
    "awaiting customer action": (
        "The payment waits for an extra step the customer was asked to take, such as "
        "entering a code or confirming on their phone."
    ),
    "awaiting clarification": (
        "The payment is paused because the platform needs more data (for example customer "
        "details); it goes on once that data is submitted."
    ),
    "awaiting clarify data": (
        "The payment is paused until the additional data the platform asked for is "
        "submitted; without it the payment will not go on."
    ),
    "awaiting merchant auth": (
        "The payment waits for your side to authorise it before it continues; if you do "
        "not, it will be declined or expire."
    ),
    "awaiting approval": (
        "The payment is queued for approval (typically a payout or refund under review) "
        "and will be processed once it is approved."
    ),
    "awaiting capture": (
        "Funds are held on the customer's card after an auth; send capture to take them or "
        "cancel to release them."
    ),
    "awaiting payment": (
        "The order exists and the platform waits for the customer to actually pay it."
    ),
    "awaiting confirmation": (
        "The payment waits for your confirmation before it is processed; send the payment "
        "confirmation, otherwise it will not go through."
    ),
    "external processing": (
        "A bank or provider is processing the payment, which can take a while; wait for the "
        "final callback or ask for the status later."
    ),
    "scheduled recurring processing": (
        "A scheduled recurring charge is queued and will be attempted at its planned time."
    ),
    "invoice sent": (
        "An invoice or payment link went to the customer; the payment moves on when they "
        "pay it, or ends if it is cancelled or expires."
    ),
    "success": (
        "The payment completed: for a purchase the money was charged, for a payout it was "
        "sent; you can fulfil the order."
    ),
    "decline": (
        "The payment was declined by the bank, provider or risk checks and did not go "
        "through; the operation code and message say why."
    ),
    "error": (
        "The payment failed because of an error rather than a decline and did not go "
        "through; check the code and message before trying again."
    ),
    "internal error": (
        "The platform failed while processing the payment and it did not go through; if "
        "this repeats, contact support with the payment ID."
    ),
    "external error": (
        "The bank or provider failed while processing the payment and it did not go "
        "through; the customer may try again later."
    ),
    "expired": (
        "The payment was not completed in the time allowed (for example the customer left "
        "or best_before passed), so it was closed without charging."
    ),
    "cancelled": (
        "The payment was cancelled before any money was taken, for example a held amount "
        "was released with cancel; nothing is charged."
    ),
    "refunded": ("The whole amount of a successful payment was returned to the customer."),
    "partially refunded": (
        "Part of the amount was returned to the customer; the rest stays charged and can "
        "still be refunded."
    ),
    "reversed": (
        "The whole amount was returned by a reversal, which undoes the charge at the bank "
        "instead of sending a separate refund."
    ),
    "partially reversed": (
        "Part of the amount was returned by a reversal; the rest stays charged."
    ),
    "invoice cancelled": (
        "The invoice was cancelled before the customer paid it, so nothing will be charged."
    ),
    "decline renewal": (
        "A scheduled recurring renewal was declined, so this charge did not happen; the "
        "customer may need to update their payment details."
    ),
}

OPERATION_STATUS_MEANINGS = {
    "processing": "This operation was accepted and is being processed; wait for its result.",
    "awaiting 3ds result": (
        "This operation waits for the customer to finish 3-D Secure authentication."
    ),
    "awaiting redirect result": (
        "This operation waits for the customer to come back from an outside page (a bank "
        "or provider) or for the provider's answer."
    ),
    "awaiting clarification": (
        "This operation is paused until the extra data the platform asked for is sent."
    ),
    "awaiting customer action": (
        "This operation waits for an extra step from the customer, such as a confirmation "
        "in their banking app."
    ),
    "awaiting merchant auth": (
        "This operation waits for your side to authorise it before it continues."
    ),
    "awaiting customer": (
        "This operation waits for the customer to pay outside the payment form, for "
        "example with a voucher or in an app."
    ),
    "awaiting approval": (
        "This operation is queued for approval (a manual or risk review) before it is processed."
    ),
    "external processing": (
        "This operation was handed to a bank or provider and waits for its answer."
    ),
    "awaiting payment": (
        "This operation waits for the customer to pay, for example an issued invoice or voucher."
    ),
    "invoice sent": "An invoice for this operation went to the customer and awaits payment.",
    "awaiting confirmation": ("This operation waits for your confirmation before it is processed."),
    "success": (
        "This operation (a sale, auth, capture, refund, payout ...) completed successfully."
    ),
    "decline": ("This operation was declined; its code and message say by whom and why."),
    "error": "This operation failed with an error and did not complete.",
    "internal error": (
        "The platform failed while processing this operation and it did not complete."
    ),
    "external error": (
        "The bank or provider failed while processing this operation and it did not complete."
    ),
    "expired": "This operation was not completed in time and was closed.",
    "invoice cancelled": ("The invoice behind this operation was cancelled before it was paid."),
}

PAYMENT_TYPE_MEANINGS = {
    "purchase": (
        "A payment from the customer to you, charged in one step (sale) or in two (auth, "
        "then capture)."
    ),
    "recurring": (
        "A charge to a saved card or account without the customer present, under a "
        "recurring agreement registered earlier."
    ),
    "invoice": "A payment requested by an invoice or payment link that the customer pays later.",
    "payout": ("Money sent from you to the customer's card or account, such as a withdrawal."),
    "account verification": (
        "A check that a card or account is valid and usable, without charging the customer."
    ),
}

OPERATION_TYPE_MEANINGS = {
    "sale": "A one-step charge: the amount is authorised and taken in a single operation.",
    "auth": (
        "The first step of a two-step payment: the amount is held on the card but not taken yet."
    ),
    "capture": (
        "The second step of a two-step payment: takes all or part of the amount an auth is holding."
    ),
    "cancel": "Releases an amount held by an auth without taking it.",
    "refund": "Returns all or part of a successful payment to the customer.",
    "reversal": ("Undoes a charge at the bank, so the amount goes back without a separate refund."),
    "payout": "Sends money from you to the customer's card or account.",
    "recurring": (
        "A charge under a registered recurring agreement, made without the customer "
        "entering their details again."
    ),
    "recurring update": (
        "Changes a registered recurring agreement, such as its amount, schedule or card."
    ),
    "recurring cancel": (
        "Ends a registered recurring agreement so that no further charges are made under it."
    ),
    "account verification": "Checks that a card or account is valid without charging it.",
    "payment confirmation": ("Your confirmation that a payment waiting for it may go ahead."),
    "refund reverse": (
        "Undoes an earlier refund, so the refunded amount goes back to the merchant."
    ),
    "manual change": (
        "A change made by hand on the platform side, such as a status correction after an "
        "investigation."
    ),
    "incremental": (
        "Raises the amount an existing auth holds, for example for extras on a hotel or car "
        "rental bill."
    ),
    "invoice": "Issues an invoice (a payment request) to the customer.",
    "customer action": (
        "A step the customer performs during the payment, such as confirming it with their "
        "bank or provider."
    ),
    "capture settlement": (
        "Settles a captured amount with the bank or provider, recorded as its own operation."
    ),
    "contract registration": (
        "Registers an agreement with the provider, such as a direct debit mandate, so that "
        "charges can later be made under it."
    ),
    "commission": "A fee charged as an operation of its own.",
}

# Used only if the CSV gains a status that has no explanation above yet.
FALLBACK_FINAL = "A final status: this payment or operation will not change any more."
FALLBACK_INTERMEDIATE = "An intermediate status: wait for a final one."
FALLBACK_TYPE = "A type the platform lists; ecp has no explanation for it yet."
