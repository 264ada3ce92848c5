"""What a callback (or a signed Gate response) says, whatever its shape.

Shapes handled: standard (``payment`` + ``operation``), Gate style with ``general``
(``project_id``, ``payment_id``, ``signature``), the older format with an ``operations`` list
(the last element is the latest) and ``sum_request`` / ``sum_real``, card-on-file
``recurring`` updates with no payment, and token callbacks (``card``, ``request``,
``token``, ``token_status``).

:class:`Callback` reads any of them into one model. What it means in one sentence is
ecp_cli.callbacks.headline's job; ecp_cli.callbacks.facts turns both into the plain data
``ecp show`` displays and ``ecp show --json`` prints.

Callbacks come from outside, so nothing here trusts a type: a string where an object
belongs, a number written as a string or a missing key never raises. What cannot be read is
left out and described in ``problems``.
"""

from collections.abc import Mapping

from ecp_cli.callbacks import reference
from ecp_cli.callbacks.ids import text_of
from ecp_cli.documents import describe_type
from ecp_cli.payment_page import currencies

# --- reading untrusted values ----------------------------------------------------------


def _field(value: object) -> str | None:
    """A text field; an empty string counts as absent (the platform sends "" for none)."""
    text = text_of(value)
    return text if text else None


def _ident(value: object) -> int | str | None:
    """An identifier as the platform sent it (number or text); "" and objects are absent."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _field(value)


def _first(*values: int | str | None) -> int | str | None:
    """The first value that is present; unlike ``or``, 0 counts as present."""
    return next((value for value in values if value is not None), None)


def _whole_number(value: object) -> int | None:
    """An integer, also when written as a string ("1000"); anything else is None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Digits of any script, as \d matches them (int() reads them all). No re here nor
    # below: importing it would cost ecp show more than its reading does.
    if isinstance(value, str) and value.strip().removeprefix("-").isdecimal():
        return int(value)
    return None


def _status(value: object) -> str | None:
    # "canceled" and "cancelled" are the same status from different platform parts.
    text = _field(value)
    if text is None:
        return None
    return reference.cancelled(text, any_case=True)


class _Reader:
    """Fetches sub-objects, noting every value whose type is not what the platform sends."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def mapping(self, parent: Mapping, key: str, where: str) -> Mapping | None:
        value = parent.get(key) if isinstance(parent, Mapping) else None
        if value is None:
            return None
        if isinstance(value, Mapping):
            return value
        self.problems.append(f"{where} is {describe_type(value)}, not an object; ignored")
        return None

    def sequence(self, parent: Mapping, key: str, where: str) -> list | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, list):
            return value
        self.problems.append(f"{where} is {describe_type(value)}, not a list; ignored")
        return None

    def money(self, parent: Mapping | None, key: str, where: str) -> "Money | None":
        if parent is None or key not in parent or parent[key] is None:
            return None
        value = parent[key]
        if not isinstance(value, Mapping):
            text = _field(value)
            self.problems.append(f"{where} is {describe_type(value)}, not an object")
            return Money(None, None, text) if text else None
        money = Money.from_mapping(value)
        if money.amount is None and money.raw_amount is not None:
            self.problems.append(
                f"{where}.amount is not a whole number of minor units: {money.raw_amount!r}"
            )
        return money


# --- the model -------------------------------------------------------------------------
# Plain classes, not dataclasses: importing dataclasses (and the inspect module it loads)
# cost `ecp show` more start-up time than everything else it reads about a callback. Not
# ecp_cli.records either: these compare by identity (they were eq=False dataclasses).


class _Record:
    """Shows its fields in a repr, in the order __init__ sets them."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


class Money(_Record):
    """An amount in minor units of a currency, as callbacks carry it.

    ``amount`` is None when the callback holds something that is not a whole number; the
    text that was there is kept in ``raw_amount`` so it can still be shown.
    """

    def __init__(
        self,
        amount: int | None,
        currency: str | None,
        raw_amount: str | None = None,
    ) -> None:
        self.amount = amount
        self.currency = currency
        self.raw_amount = raw_amount

    @classmethod
    def from_mapping(cls, value: Mapping) -> "Money":
        raw = value.get("amount")
        amount = _whole_number(raw)
        return cls(
            amount, _field(value.get("currency")), None if amount is not None else _field(raw)
        )

    @property
    def currency_known(self) -> bool:
        return self.currency is not None and currencies.is_known(self.currency)

    def formatted(self) -> str | None:
        """For people: 31415 USD is "314.15 USD", 90 JPY is "90 JPY"."""
        if self.amount is not None:
            if self.currency is None:
                return f"{self.amount} (no currency)"
            if not self.currency_known:
                return f"{self.amount} {self.currency} (unknown currency, minor units)"
            return currencies.format_amount(self.amount, self.currency)
        parts = [part for part in (self.raw_amount, self.currency) if part]
        return " ".join(parts) or None

    def same_as(self, other: "Money | None") -> bool:
        return other is not None and (self.amount, self.currency, self.raw_amount) == (
            other.amount,
            other.currency,
            other.raw_amount,
        )

    def facts(self) -> dict:
        return {"amount": self.amount, "currency": self.currency, "formatted": self.formatted()}


def _money_facts(money: Money | None) -> dict | None:
    return money.facts() if money is not None else None


def _code_info(code: object) -> reference.CodeInfo | None:
    """A response code explained; None when the value is not a code at all."""
    if code is None or code == "":
        return None
    try:
        return reference.response_code(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _code_facts(code: object) -> dict | None:
    info = _code_info(code)
    if info is None:
        return None
    return {
        "category": info.category,
        "message": info.message,
        "action": info.action,
        "meaning": info.meaning,
        "what_to_do": info.what_to_do,
        "advice_source": info.advice_source,
        "listed": info.known and not info.inferred,
    }


def _status_facts(value: str | None, explain) -> dict:
    info = explain(value) if value is not None else None
    return {
        "status": value,
        "status_meaning": info.meaning if info else None,
        "final": info.final if info else None,
    }


class Provider(_Record):
    def __init__(
        self,
        *,
        id: int | str | None = None,
        payment_id: int | str | None = None,
        auth_code: str | None = None,
        endpoint_id: int | str | None = None,
        date: str | None = None,
    ) -> None:
        self.id = id
        self.payment_id = payment_id
        self.auth_code = auth_code
        self.endpoint_id = endpoint_id
        self.date = date

    def facts(self) -> dict:
        return {
            "id": self.id,
            "payment_id": self.payment_id,
            "auth_code": self.auth_code,
            "endpoint_id": self.endpoint_id,
            "date": self.date,
        }


class Operation(_Record):
    """One step of a payment (sale, auth, capture, refund ...) and its result."""

    def __init__(
        self,
        *,
        id: int | str | None = None,
        type: str | None = None,
        status: str | None = None,
        date: str | None = None,
        created_date: str | None = None,
        request_id: str | None = None,
        code: str | None = None,
        message: str | None = None,
        eci: str | None = None,
        sum_initial: Money | None = None,
        sum_converted: Money | None = None,
        provider: Provider | None = None,
    ) -> None:
        self.id = id
        self.type = type
        self.status = status
        self.date = date
        self.created_date = created_date
        self.request_id = request_id
        self.code = code  # always text: "0" is success
        self.message = message
        self.eci = eci
        self.sum_initial = sum_initial
        self.sum_converted = sum_converted
        self.provider = provider

    @property
    def converted_differs(self) -> bool:
        return self.sum_converted is not None and not self.sum_converted.same_as(self.sum_initial)

    def facts(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "type_meaning": reference.operation_type(self.type) if self.type else None,
            **_status_facts(self.status, reference.operation_status),
            "date": self.date,
            "created_date": self.created_date,
            "request_id": self.request_id,
            "code": self.code,
            "message": self.message,
            "code_info": _code_facts(self.code),
            "eci": self.eci,
            "sum_initial": _money_facts(self.sum_initial),
            "sum_converted": _money_facts(self.sum_converted),
            "converted_differs": self.converted_differs,
            "provider": self.provider.facts() if self.provider else None,
        }


class Payment(_Record):
    def __init__(
        self,
        *,
        id: int | str | None = None,
        type: str | None = None,
        status: str | None = None,
        method: str | None = None,
        date: str | None = None,
        description: str | None = None,
        sum: Money | None = None,
        sum_request: Money | None = None,
        sum_real: Money | None = None,
    ) -> None:
        self.id = id
        self.type = type
        self.status = status
        self.method = method
        self.date = date
        self.description = description
        self.sum = sum
        self.sum_request = sum_request  # older format: what was asked for
        self.sum_real = sum_real  # older format: what was actually processed

    @property
    def amount(self) -> Money | None:
        """The payment's amount: ``sum``, else (older format) ``sum_real`` or ``sum_request``."""
        return self.sum or self.sum_real or self.sum_request

    def facts(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "type_meaning": reference.payment_type(self.type) if self.type else None,
            **_status_facts(self.status, reference.payment_status),
            "method": self.method,
            "date": self.date,
            "description": self.description,
            "sum": _money_facts(self.sum),
            "sum_request": _money_facts(self.sum_request),
            "sum_real": _money_facts(self.sum_real),
        }


def _masked(number: str | None) -> str | None:
    # Callbacks carry masked numbers; should a full one ever arrive, do not repeat it.
    if number is not None and 13 <= len(number) <= 19 and number.isdecimal():
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number


class Account(_Record):
    """The card or account paid with. The token itself is never kept, only whether there
    is one: with the project secret it is enough to charge the card."""

    def __init__(
        self,
        *,
        number: str | None = None,
        brand: str | None = None,
        holder: str | None = None,
        expiry_month: str | None = None,
        expiry_year: str | None = None,
        token_present: bool = False,
    ) -> None:
        self.number = number
        self.brand = brand
        self.holder = holder
        self.expiry_month = expiry_month
        self.expiry_year = expiry_year
        self.token_present = token_present

    @property
    def expiry(self) -> str | None:
        month, year = self.expiry_month, self.expiry_year
        if month and month.isdigit() and len(month) == 1:
            month = "0" + month
        if month and year:
            return f"{month}/{year}"
        return month or year

    def facts(self) -> dict:
        return {
            "number": self.number,
            "brand": self.brand,
            "holder": self.holder,
            "expiry_month": self.expiry_month,
            "expiry_year": self.expiry_year,
            "expiry": self.expiry,
            "token_present": self.token_present,
        }


class ErrorItem(_Record):
    def __init__(
        self,
        *,
        code: int | str | None = None,
        message: str | None = None,
        field: str | None = None,
        description: str | None = None,
    ) -> None:
        self.code = code  # as sent: errors[].code may be a number
        self.message = message
        self.field = field
        self.description = description

    def facts(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "description": self.description,
            "code_info": _code_facts(self.code),
        }


RECURRING_PERIODS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


class Recurring(_Record):
    """A card-on-file (recurring) agreement: its id is what later charges refer to."""

    def __init__(
        self,
        *,
        id: int | str | None = None,
        status: str | None = None,
        type: str | None = None,
        currency: str | None = None,
        period: str | None = None,
        interval: str | None = None,
        time: str | None = None,
        start_date: str | None = None,
        expiry_month: str | None = None,
        expiry_year: str | None = None,
        amount: Money | None = None,
    ) -> None:
        self.id = id
        self.status = status
        self.type = type
        self.currency = currency
        self.period = period
        self.interval = interval
        self.time = time
        self.start_date = start_date
        self.expiry_month = expiry_month
        self.expiry_year = expiry_year
        self.amount = amount

    def facts(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "type": self.type,
            "currency": self.currency,
            "period": self.period,
            "period_meaning": RECURRING_PERIODS.get(self.period.upper()) if self.period else None,
            "interval": self.interval,
            "time": self.time,
            "start_date": self.start_date,
            "expiry_month": self.expiry_month,
            "expiry_year": self.expiry_year,
            "amount": _money_facts(self.amount),
        }


class TokenInfo(_Record):
    """A token callback: the outcome of tokenizing a card. The token itself is not kept."""

    def __init__(
        self,
        *,
        present: bool = False,
        status: str | None = None,
        created_at: str | None = None,
        request_id: str | None = None,
        action: str | None = None,
        request_status: str | None = None,
    ) -> None:
        self.present = present
        self.status = status
        self.created_at = created_at
        self.request_id = request_id
        self.action = action
        self.request_status = request_status

    def facts(self) -> dict:
        return {
            "present": self.present,
            "status": self.status,
            "created_at": self.created_at,
            "request_id": self.request_id,
            "action": self.action,
            "request_status": self.request_status,
        }


SHAPES = ("standard", "gate", "operations_list", "recurring_update", "token", "unrecognised")


class Callback(_Record):
    def __init__(
        self,
        *,
        shape: str,
        signature_location: str | None = None,
        project_id: int | str | None = None,
        payment: Payment | None = None,
        operations: list[Operation] | None = None,
        account: Account | None = None,
        customer: dict[str, str] | None = None,
        errors: list[ErrorItem] | None = None,
        recurring: Recurring | None = None,
        token: TokenInfo | None = None,
        acs_present: bool = False,
        problems: list[str] | None = None,
    ) -> None:
        self.shape = shape
        self.signature_location = signature_location  # "top", "general" or None (unsigned)
        self.project_id = project_id
        self.payment = payment
        self.operations = operations if operations is not None else []  # oldest first
        self.account = account
        self.customer = customer
        self.errors = errors if errors is not None else []
        self.recurring = recurring
        self.token = token
        self.acs_present = acs_present
        self.problems = problems if problems is not None else []

    @property
    def operation(self) -> Operation | None:
        """The latest operation: the only one, or the last of an ``operations`` list."""
        return self.operations[-1] if self.operations else None

    @classmethod
    def from_dict(cls, data: object) -> "Callback":
        """Read a callback body of any known shape. Never raises on odd content."""
        if not isinstance(data, Mapping):
            return cls(
                shape="unrecognised",
                problems=[f"the message is {describe_type(data)}, not an object"],
            )
        read = _Reader()
        general = read.mapping(data, "general", "general") or {}
        payment_data = read.mapping(data, "payment", "payment")
        operation_data = read.mapping(data, "operation", "operation")
        operation_list = read.sequence(data, "operations", "operations")
        recurring_data = read.mapping(data, "recurring", "recurring")
        request_data = read.mapping(data, "request", "request")
        card_data = read.mapping(data, "card", "card")
        has_token = any(key in data for key in ("token", "token_status", "token_created_at"))

        if operation_list is not None:
            shape = "operations_list"
        elif payment_data is not None or operation_data is not None:
            shape = "gate" if "general" in data else "standard"
        elif recurring_data is not None:
            shape = "recurring_update"
        elif has_token or card_data is not None or request_data is not None:
            shape = "token"
        else:
            shape = "unrecognised"

        operations = []
        if operation_list is not None:
            for index, item in enumerate(operation_list):
                where = f"operations[{index}]"
                if isinstance(item, Mapping):
                    operations.append(_operation(item, where, read))
                else:
                    read.problems.append(
                        f"{where} is {describe_type(item)}, not an object; ignored"
                    )
        if operation_data is not None:
            operations.append(_operation(operation_data, "operation", read))

        payment = None
        if payment_data is not None or general.get("payment_id") is not None:
            payment_data = payment_data or {}
            transaction = read.mapping(data, "transaction", "transaction") or {}
            payment = Payment(
                id=_first(_ident(payment_data.get("id")), _ident(general.get("payment_id"))),
                type=_field(payment_data.get("type")) or _field(transaction.get("type")),
                status=_status(payment_data.get("status")),
                method=_field(payment_data.get("method")),
                date=_field(payment_data.get("date")),
                description=_field(payment_data.get("description"))
                or _field(data.get("description")),
                sum=read.money(payment_data, "sum", "payment.sum"),
                sum_request=read.money(data, "sum_request", "sum_request"),
                sum_real=read.money(data, "sum_real", "sum_real"),
            )
            if not operations and payment_data.get("result_code") is not None:
                # Older payment objects carry the latest result themselves.
                operations.append(
                    Operation(
                        code=_field(payment_data.get("result_code")),
                        message=_field(payment_data.get("result_message")),
                    )
                )

        account = None
        account_data = read.mapping(data, "account", "account")
        if account_data is not None:
            account = Account(
                number=_masked(_field(account_data.get("number"))),
                brand=_field(account_data.get("type")) or _field(account_data.get("brand")),
                holder=_field(account_data.get("card_holder"))
                or _field(account_data.get("holder")),
                expiry_month=_field(account_data.get("expiry_month")),
                expiry_year=_field(account_data.get("expiry_year")),
                token_present=bool(_field(account_data.get("token"))),
            )
        elif card_data is not None:
            account = Account(
                number=_masked(_field(card_data.get("number"))),
                brand=_field(card_data.get("type")) or _field(card_data.get("brand")),
                holder=_field(card_data.get("holder")) or _field(card_data.get("card_holder")),
                expiry_month=_field(card_data.get("exp_month"))
                or _field(card_data.get("expiry_month")),
                expiry_year=_field(card_data.get("exp_year"))
                or _field(card_data.get("expiry_year")),
                token_present=bool(_field(data.get("token"))),
            )

        customer = None
        customer_data = read.mapping(data, "customer", "customer")
        if customer_data is not None:
            customer = {
                str(key): text
                for key, value in customer_data.items()
                if (text := _field(value)) is not None
            }
            if "id" in customer:  # the id first: it is what the merchant looks up
                customer = {"id": customer.pop("id"), **customer}

        errors = []
        for item in read.sequence(data, "errors", "errors") or []:
            if isinstance(item, Mapping):
                code = item.get("code")
                errors.append(
                    ErrorItem(
                        code=code if _whole_number(code) is not None else _field(code),
                        message=_field(item.get("message")),
                        field=_field(item.get("field")),
                        description=_field(item.get("description")),
                    )
                )
            elif _field(item) is not None:
                errors.append(ErrorItem(message=_field(item)))

        recurring = None
        if recurring_data is not None:
            recurring = Recurring(
                id=_ident(recurring_data.get("id")),
                status=_status(recurring_data.get("status")),
                type=_field(recurring_data.get("type")),
                currency=_field(recurring_data.get("currency")),
                period=_field(recurring_data.get("period")),
                interval=_field(recurring_data.get("interval")),
                time=_field(recurring_data.get("time")),
                start_date=_field(recurring_data.get("start_date")),
                expiry_month=_field(recurring_data.get("exp_month"))
                or _field(recurring_data.get("expiry_month")),
                expiry_year=_field(recurring_data.get("exp_year"))
                or _field(recurring_data.get("expiry_year")),
                amount=_recurring_amount(recurring_data),
            )

        token = None
        if has_token or request_data is not None:
            request_data = request_data or {}
            token = TokenInfo(
                present=bool(_field(data.get("token"))),
                status=_status(data.get("token_status")),
                created_at=_field(data.get("token_created_at")),
                request_id=_field(request_data.get("id")),
                action=_field(request_data.get("action")),
                request_status=_status(request_data.get("status")),
            )

        # A null top-level signature falls back to general.signature, as in the SDKs.
        if "signature" in data and (data["signature"] is not None or "signature" not in general):
            location = "top"
        elif "signature" in general:
            location = "general"
        else:
            location = None

        project = data.get("project_id", general.get("project_id"))
        project_id = _whole_number(project)
        return cls(
            shape=shape,
            signature_location=location,
            project_id=project_id if project_id is not None else _field(project),
            payment=payment,
            operations=operations,
            account=account,
            customer=customer,
            errors=errors,
            recurring=recurring,
            token=token,
            acs_present=bool(data.get("acs")),
            problems=read.problems,
        )

    # --- what it means ------------------------------------------------------------------

    @property
    def status(self) -> str | None:
        """The status that decides the outcome: the payment's, else the latest operation's."""
        if self.payment is not None and self.payment.status:
            return self.payment.status
        if self.operation is not None:
            return self.operation.status
        return None

    @property
    def final(self) -> bool | None:
        """Whether the payment (or the operation, when there is no payment status) will
        change no more; None when the status is unknown or absent."""
        if self.payment is not None and self.payment.status:
            info = reference.payment_status(self.payment.status)
            return info.final if info else None
        if self.operation is not None and self.operation.status:
            info = reference.operation_status(self.operation.status)
            return info.final if info else None
        return None


def _operation(data: Mapping, where: str, read: _Reader) -> Operation:
    provider_data = read.mapping(data, "provider", f"{where}.provider")
    provider = None
    if provider_data is not None:
        provider = Provider(
            id=_ident(provider_data.get("id")),
            payment_id=_ident(provider_data.get("payment_id")),
            auth_code=_field(provider_data.get("auth_code")),
            endpoint_id=_ident(provider_data.get("endpoint_id")),
            date=_field(provider_data.get("date")),
        )
    # The older format calls the operation's amount "sum".
    initial = read.money(data, "sum_initial", f"{where}.sum_initial") or read.money(
        data, "sum", f"{where}.sum"
    )
    return Operation(
        id=_ident(data.get("id")),
        type=_field(data.get("type")),
        status=_status(data.get("status")),
        date=_field(data.get("date")),
        created_date=_field(data.get("created_date")),
        request_id=_field(data.get("request_id")),
        code=_field(data.get("code")),
        message=_field(data.get("message")),
        eci=_field(data.get("eci")),
        sum_initial=initial,
        sum_converted=read.money(data, "sum_converted", f"{where}.sum_converted"),
        provider=provider,
    )


def _recurring_amount(data: Mapping) -> Money | None:
    amount = data.get("amount")
    if amount is None:
        return None
    whole = _whole_number(amount)
    currency = _field(data.get("currency"))
    return Money(whole, currency, None if whole is not None else _field(amount))
