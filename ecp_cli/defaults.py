"""Every default and limit of ecp, in one place: the core takes them as its parameters'
defaults and the CLI shows them as its options' defaults, so the two cannot disagree.

Imports nothing, so that building the command line costs nothing for it.
"""

# --- the platform's addresses (a profile may replace each) --------------------------------
PAYMENT_PAGE_URL = "https://paymentpage.ecommpay.com"
API_URL = "https://api.ecommpay.com"  # Gate API: payment status
CHECK_URL = "https://sdk.ecommpay.com"  # Payment Page parameter pre-check

MAX_ID_LENGTH = 255  # characters of a payment_id or customer_id, the platform's limit

# --- Gate API calls: ecp status, ecp check, ecp url --check (http/gate.py) ------------------
GATE_TIMEOUT = 10.0  # seconds, for each of connect, read, write
GATE_MAX_TIMEOUT = 600.0  # the most --timeout accepts
GATE_RETRIES = 2  # retries after the first attempt
GATE_MAX_RETRIES = 10
GATE_BACKOFF = 0.5  # seconds before the first retry, doubled for each next one
GATE_MAX_BACKOFF = 8.0
GATE_MAX_ANSWER = 1024 * 1024  # bytes of an answer, after decompression; past it, exit 3

# --- ecp status --watch: ask again until the payment is final -----------------------------
WATCH_INTERVAL = 5.0  # seconds between two status requests
WATCH_MIN_INTERVAL = 0.5  # not faster: the platform is not to be hammered
WATCH_MAX_INTERVAL = 60.0
WATCH_TIME = 300.0  # seconds before giving up
WATCH_MAX_TIME = 3600.0

# --- callback delivery: ecp send, ecp events replay (http/delivery.py) --------------------
DELIVERY_TIMEOUT = 10.0  # seconds to wait for the endpoint's answer
DELIVERY_MAX_ATTEMPTS = 120  # the platform's own limit for one callback

# --- bodies quoted in messages, replies and the event store (http/excerpt.py) -------------
EXCERPT_LENGTH = 200  # characters, the ellipsis included

# --- the listener: ecp listen (listen/server.py) ------------------------------------------
LISTEN_HOST = "127.0.0.1"  # this machine only, unless asked otherwise
LISTEN_PORT = 8765
# Where `ecp send` delivers when given no --to: a listener started with no options.
LOCAL_LISTENER_URL = f"http://{LISTEN_HOST}:{LISTEN_PORT}/"
LISTEN_REPLY_STATUS = 200
LISTEN_MAX_BODY = 1024 * 1024  # bytes; larger bodies get 413
LISTEN_FORWARD_TIMEOUT = 10.0  # seconds to wait for --forward-to's answer
LISTEN_IDLE_TIMEOUT = 30.0  # seconds a kept-alive connection may stay silent
LISTEN_REQUEST_DEADLINE = 30.0  # seconds from a request's first byte to its body's end
LISTEN_MAX_CONNECTIONS = 256  # open connections; past them a new one gets 503
LISTEN_MAX_HEADER_BYTES = 16 * 1024  # request line and headers together
LISTEN_STOP_GRACE = 5.0  # seconds requests in progress get to finish when stopping
STORE_BUSY_TIMEOUT = 10.0  # seconds to wait for another process holding the event store

# --- built-in callback scenarios: ecp send, ecp callback (callbacks/scenarios.py) ---------
SCENARIO_NAMES = (
    "success", "decline", "3ds", "auth", "capture", "cancel", "refund", "partial-refund",
    "payout", "recurring", "tokenize", "error",
)  # fmt: skip
SCENARIO_AMOUNT = 1999  # minor units: 19.99 EUR
SCENARIO_CURRENCY = "EUR"
SCENARIO_DECLINE_CODE = "10105"  # insufficient funds on card
SCENARIO_ERROR_CODE = "2004"  # required field not provided

# --- the sandbox: ecp sandbox (sandbox/) and ecp capture/cancel/refund --wait --------------
SANDBOX_HOST = "127.0.0.1"
SANDBOX_PORT = 8766
SANDBOX_MAX_BODY = 64 * 1024  # bytes of a form or Gate request; larger ones get 413
SANDBOX_PAY_CARD = "4000000000000077"  # ecp sandbox pay: the test card that succeeds
OPERATION_WAIT = 60.0  # seconds --wait polls the status for an operation's final state
OPERATION_POLL = 0.5  # seconds between two status requests of --wait

# --- input files: parameter files, callbacks, profiles, logs read whole (documents.py) ----
MAX_INPUT_BYTES = 64 * 1024 * 1024  # past this a file is refused (ECP_MAX_INPUT raises it)
