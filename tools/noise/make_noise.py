#!/usr/bin/env python3
"""Writes fixtures/logs/noise/noise.log: ordinary log lines that hold NO provider error.

Deterministic (fixed seed, fixed start time), Python stdlib only. Rerunning gives a
byte-identical file. errwatch must find nothing in it (noise.expect.jsonl is empty).

What is in it: nginx/apache access and error logs (429/500/503 from unrelated hosts), Python
tracebacks (KeyError, requests HTTPError 429 from api.github.com, OpenAI / Azure OpenAI /
Anthropic / Gemini / DashScope / MiniMax / DeepSeek API errors), database errors (MySQL,
Postgres, MongoDB, Redis, Elasticsearch), JSON app records (code 0 / 200, status ok, WeChat
errcode, go-kratos style internal errors), Java stack traces, Go panics, Kubernetes events and
API Status objects, syslog, Chinese business lines, successful calls to the four providers
(HTTP 200, code 0 bodies, stream chunks), and lines with error / code / reason / status and
numbers (1113, 4011, 1302, 1213 ...) in many combinations. Several timestamp formats.

Usage: python3 tools/noise/make_noise.py
"""
import datetime
import json
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "logs" / "noise"
MIN_LINES = 2600

rng = random.Random(20261102)
T = [datetime.datetime(2026, 11, 2, 9, 0, 0)]


def tick(lo=0.01, hi=2.5):
    T[0] += datetime.timedelta(milliseconds=rng.randint(int(lo * 1000), int(hi * 1000)))
    return T[0]


def ms(t):
    return f"{t.microsecond // 1000:03d}"


def ts_py():
    t = tick(); return t.strftime("%Y-%m-%d %H:%M:%S") + "," + ms(t)


def ts_iso():
    t = tick(); return t.strftime("%Y-%m-%dT%H:%M:%S") + "." + ms(t) + "Z"


def ts_iso_tz():
    t = tick(); return t.strftime("%Y-%m-%dT%H:%M:%S") + "." + ms(t) + "+08:00"


def ts_java():
    t = tick(); return t.strftime("%Y-%m-%d %H:%M:%S") + "." + ms(t)


def ts_go():
    return tick().strftime("%Y/%m/%d %H:%M:%S")


def ts_clf():
    return tick().strftime("%d/%b/%Y:%H:%M:%S +0800")


def ts_syslog():
    t = tick(); return t.strftime("%b ") + f"{t.day:2d}" + t.strftime(" %H:%M:%S")


def ts_klog():
    t = tick(); return t.strftime("%m%d %H:%M:%S") + f".{t.microsecond:06d}"


def ts_epoch():
    t = tick(); return f"{(t - datetime.datetime(1970, 1, 1)).total_seconds():.3f}"


def ts_apache_err():
    t = tick(); return t.strftime("%a %b %d %H:%M:%S") + f".{t.microsecond:06d} " + t.strftime("%Y")


def ts_bracket():
    return "[" + tick().strftime("%Y-%m-%d %H:%M:%S") + "]"


def hexs(n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def ip():
    return rng.choice(["10.0.", "10.2.", "172.16.", "192.168."]) + f"{rng.randint(0, 9)}.{rng.randint(2, 250)}"


def pub_ip():
    return f"{rng.choice([203, 198, 45, 61, 114, 117, 223])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def J(o, spaced=False):
    return json.dumps(o, ensure_ascii=False, separators=None if spaced else (",", ":"))


NUMS = [1113, 4011, 1302, 1213, 1062, 4100, 1001, 1214, 4009, 5000, 429, 500, 503, 1234, 1301, 4015, 1399, 700012006]
UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "python-requests/2.32.3", "Go-http-client/1.1", "okhttp/4.12.0", "curl/8.5.0", "kube-probe/1.30",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49"]
PATHS = ["/api/v2/orders/{n}", "/api/v1/users/{n}/profile", "/static/js/app.{h}.js", "/healthz", "/metrics",
         "/v1/pay/notify", "/api/v1/cart/items?sku={n}", "/graphql", "/login", "/api/v1/coupons/{n}/redeem",
         "/api/v1/search?q=%E8%AE%A2%E5%8D%95&page={n}", "/favicon.ico", "/api/v3/inventory/{n}", "/ws/notify"]
STATUS_W = [200] * 30 + [201, 204, 301, 302, 304, 400, 401, 403, 404, 404, 429, 429, 499, 500, 502, 503, 503, 504]
HOSTS = ["shop.example.com", "api.example.cn", "admin.internal", "payment-gateway.internal", "inventory.internal"]


def path():
    return rng.choice(PATHS).format(n=rng.choice(NUMS + [rng.randint(1, 99999)]), h=hexs(8))


# ----------------------------------------------------------------------------- web servers

def nginx_access():
    st = rng.choice(STATUS_W)
    rt = rng.randint(1, 3000) / 1000
    up = "-" if st in (301, 302, 304, 499) else f"{rt - 0.001:.3f}"
    return [f'{pub_ip()} - - [{ts_clf()}] "{rng.choice(["GET", "POST", "PUT", "DELETE"])} {path()} HTTP/1.1" {st} '
            f'{rng.randint(0, 40000)} "{rng.choice(["-", "https://shop.example.com/", "https://servicewechat.com/wx1234/12/page-frame.html"])}" '
            f'"{rng.choice(UA)}" rt={rt:.3f} uct="0.000" uht="{up}" urt="{up}" host={rng.choice(HOSTS)}']


def nginx_error():
    up = f"http://{ip()}:8080{path()}"
    return [rng.choice([
        f'{ts_go()} [error] 31#31: *{rng.randint(1000, 999999)} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {pub_ip()}, server: shop.example.com, request: "POST /v1/pay HTTP/1.1", upstream: "{up}", host: "shop.example.com"',
        f'{ts_go()} [warn] 31#31: *{rng.randint(1000, 999999)} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/4/11/0000001113 while reading upstream, client: {pub_ip()}, server: api.example.cn, request: "GET /api/v1/export HTTP/1.1", upstream: "{up}"',
        f'{ts_go()} [error] 31#31: *{rng.randint(1000, 999999)} limiting requests, excess: 20.520 by zone "api_limit", client: {pub_ip()}, server: api.example.cn, request: "POST /api/v1/coupons/4011/redeem HTTP/1.1", host: "api.example.cn"',
        f'{ts_go()} [error] 31#31: *{rng.randint(1000, 999999)} connect() failed (111: Connection refused) while connecting to upstream, client: {pub_ip()}, server: admin.internal, request: "GET /metrics HTTP/1.1", upstream: "{up}"',
    ])]


def apache_access():
    st = rng.choice(STATUS_W)
    return [f'{ip()} - {rng.choice(["-", "frank", "ops", "svc-report"])} [{ts_clf()}] "GET {path()} HTTP/1.0" {st} {rng.randint(0, 9000)}']


def apache_error():
    return [rng.choice([
        f"[{ts_apache_err()}] [proxy_http:error] [pid {rng.choice(NUMS)}:tid 140213] (70007)The timeout specified has expired: [client {ip()}:51234] AH01102: error reading status line from remote server {ip()}:8080",
        f"[{ts_apache_err()}] [core:error] [pid {rng.randint(100, 9999)}] [client {pub_ip()}:40112] AH00126: Invalid URI in request GET /..%2f..%2fetc/passwd HTTP/1.1",
        f"[{ts_apache_err()}] [mpm_event:notice] [pid 1:tid 139] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations",
    ])]


# ----------------------------------------------------------------------------- python

def py_prefix(level, logger):
    return f"{ts_py()} {level} {logger}: "


def py_keyerror():
    n = rng.choice(NUMS)
    return [py_prefix("ERROR", "app.worker") + "task failed",
            "Traceback (most recent call last):",
            '  File "/srv/app/worker/tasks.py", line 88, in handle',
            "    user = cache[user_id]",
            "           ~~~~~^^^^^^^^^",
            f"KeyError: 'user:{n}'"]


def py_github_429():
    return [py_prefix("ERROR", "app.sync") + "release sync failed",
            "Traceback (most recent call last):",
            '  File "/srv/app/sync/github.py", line 41, in fetch_releases',
            "    resp.raise_for_status()",
            '  File "/srv/app/.venv/lib/python3.11/site-packages/requests/models.py", line 1024, in raise_for_status',
            "    raise HTTPError(http_error_msg, response=self)",
            "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: "
            f"https://api.github.com/repos/acme/bot/releases?per_page=100&page={rng.randint(1, 9)}"]


def py_httpx_other():
    host = rng.choice(["https://api.github.com/repos/acme/bot/issues", "https://api.openai.com/v1/chat/completions",
                       "http://payment-gateway.internal/v1/charge", "https://hooks.slack.com/services/T000/B000/XXXX",
                       "https://oapi.dingtalk.com/robot/send?access_token=***"])
    st = rng.choice(['200 OK', '429 Too Many Requests', '500 Internal Server Error', '503 Service Unavailable',
                     '401 Unauthorized', '200 OK', '201 Created'])
    return [py_prefix("INFO", "httpx") + f'HTTP Request: POST {host} "HTTP/1.1 {st}"']


def py_openai_errors():
    org = "org-" + hexs(20)
    c = rng.randint(0, 6)
    if c == 0:
        return [py_prefix("INFO", "httpx") + 'HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"',
                py_prefix("ERROR", "app.llm") + "openai call failed: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization "
                + org + " on tokens per min (TPM): Limit 30000, Used 29812, Requested 1200. Please try again in 2.024s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}"]
    if c == 1:
        return [py_prefix("ERROR", "app.llm") + 'upstream 429 url=https://api.openai.com/v1/chat/completions body='
                + J({"error": {"code": "rate_limit_exceeded", "message": "Rate limit reached for requests", "type": "requests"}})]
    if c == 2:
        return [py_prefix("ERROR", "app.llm") + "openai call failed",
                "Traceback (most recent call last):",
                '  File "/srv/app/llm/openai_client.py", line 57, in complete',
                "    return client.chat.completions.create(**kwargs)",
                '  File "/srv/app/.venv/lib/python3.11/site-packages/openai/_base_client.py", line 1047, in _request',
                "    raise self._make_status_error_from_response(err.response) from None",
                "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-proj-****"
                + hexs(4) + ". You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}"]
    if c == 3:
        return [py_prefix("ERROR", "app.llm") + "openai response body: "
                + J({"error": {"message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
                               "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}, spaced=True)]
    if c == 4:
        return [py_prefix("WARNING", "app.llm") + "openai 500, retrying: "
                + J({"error": {"message": "The server had an error while processing your request. Sorry about that!", "type": "server_error", "param": None, "code": None}})]
    if c == 5:
        return [py_prefix("ERROR", "app.llm") + "azure openai call failed status=429 url=https://acme-eastus.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-06-01 body="
                + J({"error": {"code": "429", "message": "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-06-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}})]
    return [py_prefix("ERROR", "app.llm") + "azure openai call failed status=404 url=https://acme-eastus.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions body="
            + J({"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}})]


def py_other_llm_vendors():
    c = rng.randint(0, 6)
    if c == 0:
        return [py_prefix("ERROR", "app.llm") + "anthropic call failed: Error code: 529 - "
                + J({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_011C" + hexs(20)})
                + " url=https://api.anthropic.com/v1/messages"]
    if c == 1:
        return [py_prefix("ERROR", "app.llm") + "gemini call failed url=https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent body="
                + J({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})]
    if c == 2:
        return [py_prefix("ERROR", "app.llm") + "gemini call failed status=400 body="
                + J({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
                               "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}})]
    if c == 3:
        return [py_prefix("ERROR", "app.llm") + "dashscope call failed url=https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation status=429 body="
                + J({"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded, please try again later.", "request_id": f"{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}"})]
    if c == 4:
        return [py_prefix("ERROR", "app.llm") + "minimax call failed url=https://api.minimax.chat/v1/text/chatcompletion_v2 resp="
                + J({"id": hexs(32), "base_resp": {"status_code": rng.choice([1002, 1008, 1004]), "status_msg": rng.choice(["rate limit", "insufficient balance", "login fail: Please carry the API secret key in the 'Authorization' field of the request header"])}})]
    if c == 5:
        return [py_prefix("ERROR", "app.llm") + "deepseek call failed url=https://api.deepseek.com/chat/completions status=402 body="
                + J({"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None, "code": "invalid_request_error"}})]
    return [py_prefix("ERROR", "app.llm") + "qianfan call failed url=https://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-4.0-8k body="
            + J({"error_code": 18, "error_msg": "Open api qps request limit reached"})]


def py_misc_exc():
    c = rng.randint(0, 4)
    if c == 0:
        return [py_prefix("ERROR", "app.api") + "unhandled exception on POST /api/v1/orders",
                "Traceback (most recent call last):",
                '  File "/srv/app/api/orders.py", line 132, in create_order',
                "    qty = int(payload['qty'])",
                "ValueError: invalid literal for int() with base 10: '4011a'"]
    if c == 1:
        return [py_prefix("ERROR", "celery.app.trace") + "Task app.tasks.send_sms[" + f"{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}" + "] raised unexpected: ConnectionError(\"HTTPSConnectionPool(host='dysmsapi.aliyuncs.com', port=443): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f2a1c3b9d50>: Failed to establish a new connection: [Errno 111] Connection refused'))\")"]
    if c == 2:
        return [py_prefix("WARNING", "app.sms") + "aliyun sms rejected: "
                + J({"Message": "触发小时级流控Permits:5", "RequestId": f"{hexs(8).upper()}-{hexs(4).upper()}-{hexs(4).upper()}-{hexs(4).upper()}-{hexs(12).upper()}", "Code": "isv.BUSINESS_LIMIT_CONTROL"})]
    if c == 3:
        return [py_prefix("ERROR", "django.request") + "Internal Server Error: /admin/orders/4011/change/",
                "Traceback (most recent call last):",
                '  File "/srv/app/.venv/lib/python3.11/site-packages/django/db/backends/utils.py", line 105, in _execute',
                "    return self.cursor.execute(sql, params)",
                "django.db.utils.IntegrityError: (1062, \"Duplicate entry '1113' for key 'orders_order.PRIMARY'\")"]
    return [py_prefix("ERROR", "app.wechat") + "wechat api error: " + J({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest rid: " + hexs(8) + "-" + hexs(8)})]


# ----------------------------------------------------------------------------- databases

def db_errors():
    c = rng.randint(0, 11)
    n = rng.choice(NUMS)
    if c == 0:
        return [f"ERROR 1062 (23000): Duplicate entry '{n}' for key 'PRIMARY'"]
    if c == 1:
        return [py_prefix("ERROR", "app.dao") + J({"code": 1062, "msg": f"Duplicate entry '{n}' for key 'PRIMARY'"})]
    if c == 2:
        return [f"{ts_go()} [mysql] Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction"]
    if c == 3:
        return ["ERROR 1045 (28000): Access denied for user 'app'@'10.0.3.17' (using password: YES)"]
    if c == 4:
        return [f"{ts_java()} CST [2231] ERROR:  duplicate key value violates unique constraint \"orders_pkey\"",
                f"{ts_java()} CST [2231] DETAIL:  Key (id)=({n}) already exists.",
                f"{ts_java()} CST [2231] STATEMENT:  INSERT INTO orders (id, user_id, status) VALUES ({n}, 1113, 'created')"]
    if c == 5:
        return [f"time={ts_iso()} level=error msg=\"tx failed\" err=\"ERROR: deadlock detected (SQLSTATE 40P01)\" order_id={n}"]
    if c == 6:
        return [f"time={ts_iso()} level=error msg=\"query failed\" err=\"pq: canceling statement due to statement timeout (SQLSTATE 57014)\" code=57014"]
    if c == 7:
        return [f"{ts_iso_tz()} E11000 duplicate key error collection: shop.users index: _id_ dup key: {{ _id: {n} }}"]
    if c == 8:
        return [py_prefix("ERROR", "app.mongo") + J({"ok": 0, "errmsg": f"E11000 duplicate key error collection: shop.users index: _id_ dup key: {{ _id: {n} }}", "code": 11000, "codeName": "DuplicateKey"})]
    if c == 9:
        return [f"{ts_py()} ERROR app.cache: redis error: ERR max number of clients reached",
                f"{ts_py()} ERROR app.cache: redis error: READONLY You can't write against a read only replica."]
    if c == 10:
        return [py_prefix("ERROR", "app.search") + "es bulk rejected status=429 host=http://es-node-2.internal:9200 body="
                + J({"error": {"root_cause": [{"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"}],
                               "type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation [coordinating_and_primary_bytes=0]"}, "status": 429})]
    return [f"{ts_java()} ERROR 1 --- [io-8080-exec-12] o.h.engine.jdbc.spi.SqlExceptionHelper   : Duplicate entry '{n}' for key 'PRIMARY'",
            f"{ts_java()} WARN 1 --- [io-8080-exec-12] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 1062, SQLState: 23000"]


# ----------------------------------------------------------------------------- json app records

def json_records():
    c = rng.randint(0, 11)
    n = rng.choice(NUMS)
    base = {"ts": ts_iso(), "level": rng.choice(["info", "info", "warn", "error", "debug"]), "logger": rng.choice(["order", "pay", "user", "gw", "cron"])}
    if c == 0:
        base.update(msg="response", body=J({"code": 0, "msg": "success", "data": {"order_id": n, "status": "paid"}}))
    elif c == 1:
        base.update(msg="upstream ok", response={"code": 200, "message": "OK", "data": []})
    elif c == 2:
        base.update(msg="health", status="ok", uptime_s=rng.randint(100, 999999))
    elif c == 3:
        base.update(msg="user login", user_id=n, result="success", error=None)
    elif c == 4:
        base.update(level="error", msg="request failed", error="context canceled", code=499, path=path())
    elif c == 5:
        base.update(level="error", msg="order not found", response={"success": False, "code": "ORDER_NOT_FOUND", "message": "订单不存在", "order_id": n})
    elif c == 6:
        base.update(level="warn", msg="user-svc error", url=f"http://user-svc.default.svc.cluster.local:8000/v1/users/{n}",
                    body=J({"code": 404, "reason": "USER_NOT_FOUND", "message": "user not found", "metadata": {"user_id": str(n)}}))
    elif c == 7:
        base.update(level="error", msg="coupon-svc error", url="http://coupon-svc.default.svc.cluster.local:8000/v1/coupons/redeem",
                    body=J({"code": 400, "reason": "COUPON_EXPIRED", "message": "优惠券已过期", "metadata": {}}))
    elif c == 8:
        base.update(msg="wechat pay notify", response={"errcode": 0, "errmsg": "ok"}, out_trade_no=f"20261102{n}")
    elif c == 9:
        base.update(level="error", msg="callback failed", status=503, reason="upstream overloaded", retry_in="5s", target="payment-gateway")
    elif c == 10:
        base.update(msg="ret", ret=0, msg_detail="", cost_ms=rng.randint(1, 900), error="")
    else:
        base.update(level="error", msg="feature flag fetch failed", error={"code": "UNAVAILABLE", "message": "connection refused", "status": 503})
    return [J(base, spaced=rng.random() < 0.5)]


# ----------------------------------------------------------------------------- java / go / k8s

def java_trace():
    c = rng.randint(0, 2)
    head = f"{ts_java()} ERROR 1 --- [nio-8080-exec-{rng.randint(1, 20)}] "
    if c == 0:
        return [head + "o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
                "",
                'java.lang.NullPointerException: Cannot invoke "com.acme.order.Order.getStatus()" because "order" is null',
                "\tat com.acme.order.OrderService.ship(OrderService.java:211)",
                "\tat com.acme.order.OrderController.ship(OrderController.java:88)",
                "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
                "\t... 48 common frames omitted"]
    if c == 1:
        return [head + "c.a.sync.GithubSync                      : release sync failed",
                'org.springframework.web.client.HttpClientErrorException$TooManyRequests: 429 Too Many Requests: "{"message":"API rate limit exceeded for 10.0.0.1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"',
                "\tat org.springframework.web.client.HttpClientErrorException.create(HttpClientErrorException.java:137)",
                "\tat org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:183)",
                "\tat com.acme.sync.GithubSync.fetch(GithubSync.java:64)"]
    return [head + "c.a.pay.PaymentClient                    : charge failed",
            "feign.FeignException$ServiceUnavailable: [503 Service Unavailable] during [POST] to [http://payment-gateway/v1/charge] [PaymentClient#charge(ChargeRequest)]: [{\"code\":503,\"message\":\"upstream overloaded\"}]",
            "\tat feign.FeignException.serverErrorStatus(FeignException.java:256)",
            "\tat com.acme.pay.PaymentService.charge(PaymentService.java:77)",
            "Caused by: java.sql.SQLIntegrityConstraintViolationException: Duplicate entry '1113' for key 'PRIMARY'",
            "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:118)",
            "\t... 12 more"]


def go_panic():
    g = rng.choice(NUMS)
    return [f"{ts_go()} http: panic serving {ip()}:{rng.randint(30000, 60000)}: runtime error: index out of range [4011] with length 12",
            f"goroutine {g} [running]:",
            "net/http.(*conn).serve.func1()",
            "\t/usr/local/go/src/net/http/server.go:1947 +0xbe",
            "panic({0x9a3b20?, 0xc0001c4030?})",
            "\t/usr/local/go/src/runtime/panic.go:785 +0x132",
            "main.(*Router).dispatch(0xc000123450, {0xc0004a2000, 0x1f})",
            "\t/src/router.go:142 +0x3a5",
            "created by net/http.(*Server).Serve in goroutine 1",
            "\t/usr/local/go/src/net/http/server.go:3285 +0x4b4"]


def go_misc():
    return [rng.choice([
        f'{ts_go()} ERROR charge failed: Post "http://payment-gateway.internal/v1/charge": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        f'time="{ts_iso_tz()}" level=warning msg="retry after status=503 from payment-gateway" attempt={rng.randint(1, 5)} backoff=2s',
        f'time="{ts_iso_tz()}" level=error msg="upstream error" status=502 reason="Bad Gateway" host=inventory.internal code=1302',
        f'{ts_go()} worker exited: exit code=1',
        f'{{"level":"error","ts":{ts_epoch()},"caller":"order/ship.go:77","msg":"ship failed","order":4011,"error":"carrier api: status 500: internal error"}}',
        f'{{"level":"info","ts":{ts_epoch()},"caller":"order/ship.go:51","msg":"order 4011 shipped","carrier":"SF","tracking":"SF1{rng.randint(10**11, 10**12 - 1)}"}}',
    ])]


def k8s():
    c = rng.randint(0, 5)
    pod = f"order-svc-{hexs(9)}-{hexs(5)}"
    if c == 0:
        return ["LAST SEEN   TYPE      REASON      OBJECT                              MESSAGE",
                f"2m          Warning   BackOff     pod/{pod}     Back-off restarting failed container order-svc in pod {pod}_default",
                f"5m          Normal    Pulled      pod/{pod}     Container image \"registry.internal/order-svc:1.13.4011\" already present on machine",
                f"7m          Warning   Unhealthy   pod/{pod}     Readiness probe failed: HTTP probe failed with statuscode: 503"]
    if c == 1:
        return [f'E{ts_klog()}    1113 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod={pod}_default\\"" pod="default/{pod}" podUID="{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}"']
    if c == 2:
        return [J({"kind": "Event", "apiVersion": "v1", "type": "Warning", "reason": "OOMKilled", "message": "Container app exceeded memory limit (exit code 137)",
                   "involvedObject": {"kind": "Pod", "name": pod, "namespace": "default"}, "count": rng.randint(1, 9)})]
    if c == 3:
        return [J({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": f"pods \"{pod}\" not found",
                   "reason": "NotFound", "details": {"name": pod, "kind": "pods"}, "code": 404})]
    if c == 4:
        return [J({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "the server has received too many requests and has asked us to try again later",
                   "reason": "TooManyRequests", "details": {"retryAfterSeconds": 1}, "code": 429})]
    return [f"I{ts_klog()}       1 event.go:389] \"Event occurred\" object=\"default/{pod}\" kind=\"Pod\" reason=\"Killing\" message=\"Stopping container app\" exit code=137"]


def syslog():
    return [rng.choice([
        f"{ts_syslog()} web-01 sshd[{rng.choice(NUMS)}]: Failed password for invalid user admin from {pub_ip()} port {rng.randint(30000, 60000)} ssh2",
        f"{ts_syslog()} web-01 kernel: [{rng.randint(1000, 99999)}.{rng.randint(100000, 999999)}] Out of memory: Killed process 4011 (java) total-vm:8123456kB",
        f"{ts_syslog()} web-01 systemd[1]: order-svc.service: Main process exited, code=exited, status=1/FAILURE",
        f"{ts_syslog()} web-01 systemd[1]: order-svc.service: Failed with result 'exit-code'.",
        f"{ts_syslog()} db-02 mysqld[1113]: [Warning] Aborted connection 4011 to db: 'shop' user: 'app' host: '10.0.3.17' (Got an error reading communication packets)",
        f"{ts_syslog()} web-01 CRON[{rng.randint(1000, 9999)}]: (root) CMD (/usr/local/bin/backup.sh > /dev/null 2>&1)",
    ])]


# ----------------------------------------------------------------------------- chinese / misc text

def chinese():
    n = rng.choice(NUMS)
    return [rng.choice([
        f"{ts_py()} INFO order: 订单创建成功 order_id=2026110{n} user_id={rng.choice(NUMS)} amount=199.00",
        f"{ts_py()} INFO order: 订单 {n} 已发货，快递单号 SF{rng.randint(10**11, 10**12 - 1)}",
        f"{ts_py()} INFO user: 用户 {n} 登录成功 ip={pub_ip()}",
        f"{ts_py()} WARNING wallet: 用户 {n} 余额不足，请充值后重试 order={rng.choice(NUMS)}",
        f"{ts_py()} WARNING stock: 库存不足 sku={n} 需要=3 剩余=1",
        f"{ts_py()} ERROR pay: 支付失败，错误码：{n}，原因：银行卡已过期",
        f"{ts_py()} ERROR gw: 系统繁忙，请稍后重试 status=503 path={path()}",
        f"{ts_py()} INFO sms: 短信发送成功 手机号=138****{rng.randint(1000, 9999)} 模板=SMS_{n}",
        f"{ts_py()} INFO cron: 定时任务执行完成 耗时={rng.randint(1, 9000)}ms 处理记录={n}",
        f"{ts_bracket()} [INFO] 退款申请已受理 refund_no=RF{n}{rng.randint(1000, 9999)} 状态=处理中",
        f"{ts_py()} ERROR auth: 身份验证失败 user={n} reason=密码错误 code=1001",
        f"{ts_py()} WARNING api: 请求过快，已触发本地限流 client={ip()} limit=100/s",
    ])]


def words_and_numbers():
    n = rng.choice(NUMS)
    m = rng.choice(NUMS)
    return [rng.choice([
        f"level=error code={n} reason=coupon_expired status=400 user_id={m}",
        f"{ts_py()} ERROR app.cart: error: code {n} not found in dictionary",
        f"ts={ts_iso()} level=warn msg=\"sms throttled\" status=429 reason=throttled service=sms-gateway code={n}",
        f"{ts_py()} ERROR app.stock: error_code={n} error_msg=\"库存锁定失败\" sku={m}",
        f"{ts_java()} WARN  [retry] attempt 3/5 status=500 code=INTERNAL reason=db_timeout",
        f"{ts_py()} INFO app.promo: promo code={n} applied to order {m}",
        f"{ts_py()} INFO app.user: user_id={n} status=active reason=\"email verified\"",
        f"{ts_py()} ERROR app.report: report {n} failed: status=failed error=\"division by zero\" code=E{m}",
        f"{ts_go()} exit code={rng.choice([0, 1, 2, 137])} after {rng.randint(1, 600)}s",
        f"{ts_py()} INFO app.metrics: errors_total{{code=\"{n}\",status=\"{m}\"}} {rng.randint(0, 99)}",
        f"{ts_py()} WARNING app.http: got status {rng.choice([429, 500, 503])} from https://api.example.cn/v2/items?page={n}, will retry",
        f"{ts_py()} INFO app.api: {{\"code\":0,\"msg\":\"success\"}} rid={hexs(16)}",
        f"{ts_py()} DEBUG app.api: response {{\"code\": 200, \"data\": {{\"id\": {n}}}, \"error\": null}}",
        f"{ts_epoch()} INFO error budget remaining=0.{rng.randint(10, 99)} status=ok code_freeze=false",
    ])]


# ----------------------------------------------------------------------------- successful provider traffic

def provider_ok():
    c = rng.randint(0, 7)
    if c == 0:
        return [py_prefix("INFO", "httpx") + 'HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/chat/completions "HTTP/1.1 200 OK"',
                py_prefix("INFO", "app.llm") + f"chat ok model=glm-4-plus tokens={rng.randint(20, 3000)}"]
    if c == 1:
        return [py_prefix("DEBUG", "app.llm") + "zhipu response: " + J({
            "id": "2026110209" + hexs(10), "created": 1793590000 + rng.randint(0, 9999), "model": "glm-4-flash",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "订单 4011 已发货。"}}],
            "usage": {"prompt_tokens": 1113, "completion_tokens": 12, "total_tokens": 1125}})]
    if c == 2:
        return [py_prefix("INFO", "httpx") + 'HTTP Request: POST https://api.coze.cn/v3/chat?conversation_id= "HTTP/1.1 200 OK"',
                py_prefix("DEBUG", "app.bot") + "coze response: " + J({"code": 0, "msg": "", "data": {"id": "7434" + hexs(8), "conversation_id": "7434" + hexs(8), "status": "in_progress"}, "detail": {"logid": "20261102" + hexs(26).upper()}})]
    if c == 3:
        return ["event:conversation.message.delta",
                "data:" + J({"id": "7434" + hexs(8), "role": "assistant", "type": "answer", "content": "好的", "content_type": "text"}),
                "",
                "event:conversation.chat.completed",
                "data:" + J({"id": "7434" + hexs(8), "status": "completed", "last_error": {"code": 0, "msg": ""}, "usage": {"token_count": 1113}}),
                ""]
    if c == 4:
        return [py_prefix("INFO", "httpx") + 'HTTP Request: POST https://ark.cn-beijing.volces.com/api/v3/chat/completions "HTTP/1.1 200 OK"',
                "data: " + J({"choices": [{"delta": {"content": "你好", "role": "assistant"}, "index": 0}], "created": 1793590000, "id": "0217" + hexs(20), "model": "doubao-1-5-pro-32k-250115", "object": "chat.completion.chunk"}),
                "data: [DONE]"]
    if c == 5:
        return [py_prefix("INFO", "httpx") + 'HTTP Request: POST https://api.ppinfra.com/v3/openai/chat/completions "HTTP/1.1 200 OK"',
                py_prefix("INFO", "app.llm") + f"chat ok model=deepseek/deepseek-v3 tokens={rng.randint(20, 3000)} finish_reason=stop"]
    if c == 6:
        return [f"ts={ts_iso()} level=info provider=volcengine model=doubao-1.5-pro-32k status=200 latency_ms={rng.randint(100, 5000)} tokens={rng.randint(10, 4000)}"]
    return [f"ts={ts_iso()} level=info provider=coze bot_id=7434119087212781612 status=200 code=0 msg=\"\" latency_ms={rng.randint(100, 5000)}"]


GENERATORS = [
    (nginx_access, 30), (nginx_error, 4), (apache_access, 8), (apache_error, 2),
    (py_keyerror, 2), (py_github_429, 2), (py_httpx_other, 5), (py_openai_errors, 4), (py_other_llm_vendors, 4),
    (py_misc_exc, 4), (db_errors, 8), (json_records, 14), (java_trace, 2), (go_panic, 1), (go_misc, 5),
    (k8s, 4), (syslog, 5), (chinese, 10), (words_and_numbers, 12), (provider_ok, 8),
]


def main():
    funcs = [f for f, w in GENERATORS for _ in range(w)]
    lines = []
    # One of each first, so every kind is present whatever the draw.
    for f, _ in GENERATORS:
        lines.extend(f())
    while len(lines) < MIN_LINES:
        lines.extend(rng.choice(funcs)())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "noise.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "noise.expect.jsonl").write_text("", encoding="utf-8")
    print(f"noise.log: {len(lines)} lines")


if __name__ == "__main__":
    main()
