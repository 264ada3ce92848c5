"""A callback as plain, JSON-serialisable data: every fact the model read and, beside them,
what the message means (its outcome and headline). The one source for both the
``ecp show`` view and its ``--json`` output.
"""

from ecp_cli.callbacks.headline import summary
from ecp_cli.callbacks.model import Callback


def callback_facts(callback: Callback) -> dict:
    """Everything known about the message, in the order ``ecp show --json`` prints it."""
    operation = callback.operation
    return {
        "shape": callback.shape,
        "signature_location": callback.signature_location,
        "project_id": callback.project_id,
        "summary": summary(callback),
        "payment": callback.payment.facts() if callback.payment else None,
        "operation": operation.facts() if operation else None,
        "operations": [item.facts() for item in callback.operations],
        "account": callback.account.facts() if callback.account else None,
        "customer": callback.customer,
        "errors": [item.facts() for item in callback.errors],
        "recurring": callback.recurring.facts() if callback.recurring else None,
        "token": callback.token.facts() if callback.token else None,
        "acs_present": callback.acs_present,
        "problems": list(callback.problems),
    }
