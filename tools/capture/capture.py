#!/usr/bin/env python3
"""Capture realistic LLM-provider error logs from the providers' real Python SDKs.

No provider is reachable from here, so an in-process HTTP server on 127.0.0.1
plays every provider.  Each SDK client is given the provider's real base URL
with ``http://`` and reaches the loopback server through ``HTTP_PROXY``: the
SDK and httpx see (and log) the real host names, the server sees absolute-URI
proxy requests and answers each with the response the driver planned for it
(a documented error body, or now and then a successful completion so that the
logs look like a real application's).

Every error written to a fixture is the ``str()`` / ``repr()`` / traceback of a
real exception raised by the SDK; nothing error-like is written by hand.

Everything is deterministic: a fake clock (start 2026-11-02 10:00:00 UTC)
stamps every log record, request ids come from per-file seeded generators, and
local paths are normalised, so reruns give byte-identical files.

Usage (see run.sh):  python capture.py --group main|zai|all
"""
from __future__ import annotations

import argparse
import calendar
import dataclasses
import http.server
import json
import logging
import os
import queue
import random
import string
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "fixtures" / "logs" / "sdk"

START_MS = calendar.timegm((2026, 11, 2, 10, 0, 0, 0, 0, 0)) * 1000

# What local paths become in the fixtures (tracebacks show file paths).
PATH_REWRITES = [
    (str(REPO / "target" / "capture-venv-zai") + "/", "/srv/app/.venv/"),
    (str(REPO / "target" / "capture-venv") + "/", "/srv/app/.venv/"),
    (str(REPO) + "/", "/srv/app/"),
]


# --------------------------------------------------------------------------
# Deterministic clock and ids
# --------------------------------------------------------------------------
class FakeClock:
    """Milliseconds since the epoch; every log record advances it a little,
    the driver advances it a few seconds between API calls."""

    def __init__(self) -> None:
        self.reset("")

    def reset(self, seed: str) -> None:
        self.ms = START_MS
        self.rng = random.Random(zlib.crc32(("clock:" + seed).encode()))

    def record_tick(self) -> int:
        self.ms += self.rng.randint(2, 45)
        return self.ms

    def pause(self, lo_s: float = 1.5, hi_s: float = 6.0) -> None:
        self.ms += self.rng.randint(int(lo_s * 1000), int(hi_s * 1000))

    def stamp(self, fmt: str = "%Y%m%d%H%M%S") -> str:
        return time.strftime(fmt, time.gmtime(self.ms // 1000))

    def iso(self, ms: Optional[int] = None) -> str:
        ms = self.ms if ms is None else ms
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


CLOCK = FakeClock()


class Ids:
    def __init__(self, seed: str) -> None:
        self.rng = random.Random(zlib.crc32(("ids:" + seed).encode()))

    def hex(self, n: int, upper: bool = False) -> str:
        s = "".join(self.rng.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def alnum(self, n: int) -> str:
        chars = string.ascii_letters + string.digits
        return "".join(self.rng.choice(chars) for _ in range(n))

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def request_id(self) -> str:  # e.g. 20261102100001abcdef0123456789abcdef
        return CLOCK.stamp() + self.hex(22)

    def coze_logid(self) -> str:  # e.g. 20241210152726467C48D89D6DB2F3E8C3
        return CLOCK.stamp() + self.hex(20, upper=True)


IDS = Ids("")


def _record_factory_wrapper(old: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        rec = old(*args, **kwargs)
        ms = CLOCK.record_tick()
        rec.created = ms / 1000.0
        rec.msecs = float(ms % 1000)
        rec.relativeCreated = float(ms - START_MS)
        rec.process = 4242
        rec.thread = 140245061543744
        return rec

    return factory


logging.setLogRecordFactory(_record_factory_wrapper(logging.getLogRecordFactory()))
logging.Formatter.converter = time.gmtime  # also used by SDKs' own formatters (cozepy)


# --------------------------------------------------------------------------
# The loopback "provider" server (an HTTP proxy that answers by itself)
# --------------------------------------------------------------------------
@dataclasses.dataclass
class Planned:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    expect_host: str = ""


class ProviderServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.plans: "queue.Queue[Planned]" = queue.Queue()
        self.seen: List[Tuple[str, str]] = []
        self.problems: List[str] = []
        self.lock = threading.Lock()


class ProviderHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ProviderServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        url = self.path
        try:
            plan = self.server.plans.get_nowait()
        except queue.Empty:
            with self.server.lock:
                self.server.problems.append(f"unplanned request {self.command} {url}")
            self.send_response(599)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with self.server.lock:
            self.server.seen.append((self.command, url))
            if not url.startswith("http://" + plan.expect_host + "/"):
                self.server.problems.append(f"expected host {plan.expect_host}, got {url}")
        self.send_response(plan.status)
        self.send_header("Content-Type", plan.content_type)
        for k, v in plan.headers:
            self.send_header(k, v)
        client_req = self.headers.get("X-Client-Request-Id")
        if client_req:  # Ark echoes the client's request id
            self.send_header("X-Client-Request-Id", client_req)
        self.send_header("Content-Length", str(len(plan.body)))
        self.end_headers()
        self.wfile.write(plan.body)
        self.wfile.flush()

    do_POST = _serve
    do_GET = _serve


SERVER: Optional[ProviderServer] = None


def expect(plan: Planned) -> None:
    assert SERVER is not None
    SERVER.plans.put(plan)


def check_drained(what: str) -> None:
    assert SERVER is not None
    if not SERVER.plans.empty():
        raise SystemExit(f"{what}: planned response was not requested (SDK retried or skipped?)")
    if SERVER.problems:
        raise SystemExit(f"{what}: {SERVER.problems}")


def jdump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------
# Documented errors (verbatim from fixtures/provider-docs/)
# --------------------------------------------------------------------------
@dataclasses.dataclass
class Err:
    provider: str          # zhipu | ppio | coze | volcengine
    code: str              # as sent (ppio: the error name, sent in "reason")
    http_status: Optional[int]   # status sent; None for coze (errors arrive in HTTP 200)
    doc_message: str       # documented message / description, placeholders included
    fill: Dict[str, str] = dataclasses.field(default_factory=dict)  # static placeholder values
    etype: str = ""        # ark "type"
    via: str = "json"      # coze stream: "sse" (event: error) or "json" (rejected before streaming)

    def message(self) -> str:
        msg = self.doc_message
        for k, v in self.fill.items():
            msg = msg.replace(k, v)
        if "{id}" in msg:
            msg = msg.replace("{id}", IDS.request_id())
        if "${request_id}" in msg:
            msg = msg.replace("${request_id}", IDS.request_id())
        return msg


def Z(code: str, status: int, msg: str, **fill: str) -> Err:
    return Err("zhipu", code, status, msg, {("${%s}" % k): v for k, v in fill.items()})


def ZH(status: int, reason: str) -> Err:  # a row of zhipu-bigmodel-http.md
    return Err("zhipu", str(status), status, reason)


ZHIPU = {
    "500": Z("500", 500, "Internal Error"),
    "1000": Z("1000", 401, "Authentication Failed"),
    "1001": Z("1001", 401, "Authentication parameter not received in Header, unable to authenticate"),
    "1002": Z("1002", 401, "Invalid Authentication Token, please confirm the correct transmission of the Authentication Token"),
    "1003": Z("1003", 401, "Authentication Token expired, please regenerate/obtain"),
    "1004": Z("1004", 401, "Authentication failed with the provided Authentication Token"),
    "1110": Z("1110", 429, "Your account is currently inactive. Please check your account information"),
    "1112": Z("1112", 429, "Your account has been locked, please contact customer service to unlock"),
    "1113": Z("1113", 429, "Your account is in arrears, please recharge and try again"),
    "1121": Z("1121", 429, "Account has irregular activities and has been locked"),
    "1211": Z("1211", 400, "Model does not exist, please check the model code"),
    "1212": Z("1212", 400, "Current model does not support ${method} call method", method="SSE"),
    "1213": Z("1213", 400, "${field} parameter not received properly", field="messages"),
    "1214": Z("1214", 400, "Invalid ${field} parameter. Please check the documentation", field="temperature"),
    "1220": Z("1220", 400, "You do not have permission to access ${API_name}", API_name="glm-4-alltools"),
    "1231": Z("1231", 400, "You already have a request: ${request_id}"),
    "1301": Z("1301", 400, "System detected potentially unsafe or sensitive content in input or generation. Please avoid using prompts that may generate sensitive content. Thank you for your cooperation."),
    "1302": Z("1302", 429, "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits"),
    "1303": Z("1303", 429, "High frequency usage of this API, please reduce frequency or contact customer service to increase limits"),
    "1304": Z("1304", 429, "Daily call limit for this API reached. For more requests, please contact customer service to purchase"),
    "1308": Z("1308", 429, "Usage limit reached for . Your limit will reset at ${next_flush_time}", next_flush_time="2026-11-02 15:00:00"),
    "1309": Z("1309", 429, "Your GLM Coding Plan package has expired and is temporarily unavailable. You can resume using it after renewing the subscription on the official website. https://z.ai/subscribe"),
    "http400": ZH(400, "参数错误"),
    "http401": ZH(401, "鉴权失败或 Token 超时"),
    "http429-concurrency": ZH(429, "接口请求并发超额"),
    "http429-balance": ZH(429, "账户余额已用完"),
    "http429-account": ZH(429, "账户异常"),
    "http434": ZH(434, "暂无 API 权限，微调 API 及文件管理 API 为内测阶段，我们会尽快开放"),
    "http500": ZH(500, "服务器处理请求时发生错误"),
}


def P(code: str, status: int, msg: str) -> Err:
    return Err("ppio", code, status, msg)


PPIO = {
    "INVALID_API_KEY": P("INVALID_API_KEY", 403, "未提供 API Key"),
    "MODEL_NOT_FOUND": P("MODEL_NOT_FOUND", 404, "模型不存在"),
    "FAILED_TO_AUTH": P("FAILED_TO_AUTH", 401, "认证失败"),
    "NOT_ENOUGH_BALANCE": P("NOT_ENOUGH_BALANCE", 403, "余额不足"),
    "INVALID_REQUEST_BODY": P("INVALID_REQUEST_BODY", 400, "请求体格式错误，详见 message"),
    "RATE_LIMIT_EXCEEDED": P("RATE_LIMIT_EXCEEDED", 429, "请求过快，请稍后重试"),
    "TOKEN_LIMIT_EXCEEDED": P("TOKEN_LIMIT_EXCEEDED", 429, "Token 数超限，请稍后重试"),
    "SERVICE_NOT_AVAILABLE": P("SERVICE_NOT_AVAILABLE", 503, "服务不可用"),
    "ACCESS_DENY": P("ACCESS_DENY", 403, "无权限访问"),
    "ILLEGAL_PROMPT": P("ILLEGAL_PROMPT", 400, "Prompt 含不适宜内容"),  # from the image/video/audio table
}


def C(code: int, msg: str, via: str = "json") -> Err:
    return Err("coze", str(code), None, msg, via=via)


COZE = {
    "4000": C(4000, "请求参数错误"),
    "4007": C(4007, "流false仅在自动保存为true时允许"),
    "4008": C(4008, "用户限流"),
    "4009": C(4009, "已达系统请求上限，请稍后重试"),
    "4010": C(4010, "当前问题请求的 prompt token 数量超过模型上限"),
    "4011": C(4011, "当前账户的 Coze Token 余额不足"),
    "4012": C(4012, "invalid model"),
    "4013": C(4013, "模型错误"),
    "4014": C(4014, "问题无法回答"),
    "4015": C(4015, "bot 未发布到API"),
    "4016": C(4016, "当前会话已有chat在运行"),
    "4019": C(4019, "火山Bot调用按量余额不足"),
    "4020": C(4020, "火山Bot调用超出RPM峰值"),
    "4022": C(4022, "模型欠费"),
    "4100": C(4100, "身份验证无效"),
    "4101": C(4101, "没有权限访问该资源"),
    "4102": C(4102, "命中风控拦截"),
    "5000": C(5000, "服务器内部错误"),
}

ARK_ACCOUNT = "2108832479"
ARK_MODEL = "doubao-seed-1-6-250615"
ARK_ENDPOINT = "ep-20261030173512-x7k2p"


def A(code: str, status: int, etype: str, msg: str, **fill: str) -> Err:
    return Err("volcengine", code, status, msg, fill, etype=etype)


ARK = {
    "MissingParameter": A("MissingParameter", 400, "BadRequest", "The request failed because it is missing one or multiple required parameters. Request ID: {id}"),
    "InvalidParameter": A("InvalidParameter", 400, "BadRequest", "One or more parameters specified in the request are not valid. Request ID: {id}"),
    "InvalidParameter.model": A("InvalidParameter.model", 400, "BadRequest", "The specified parameter {{Parameter}} is invalid.", **{"{{Parameter}}": "model"}),
    "MissingParameter.messages": A("MissingParameter.messages", 400, "BadRequest", "The required parameter {{Parameter}} is missing.", **{"{{Parameter}}": "messages"}),
    "InvalidEndpoint.ClosedEndpoint": A("InvalidEndpoint.ClosedEndpoint", 400, "BadRequest", "The request targeted an endpoint that is currently closed or temporarily unavailable. Request ID: {id}"),
    "SensitiveContentDetected": A("SensitiveContentDetected", 400, "BadRequest", "The request failed because the input text may contain sensitive information."),
    "SensitiveContentDetected.SevereViolation": A("SensitiveContentDetected.SevereViolation", 400, "BadRequest", "The request failed because the input text may contain severe violation information."),
    "InputTextSensitiveContentDetected": A("InputTextSensitiveContentDetected", 400, "BadRequest", "The request failed because the input text may contain sensitive information.Request ID: {id}"),
    "AuthenticationError": A("AuthenticationError", 401, "Unauthorized", "The API key or AK/SK in the request is missing or invalid. Request ID: {id}"),
    "AccountOverdueError": A("AccountOverdueError", 403, "Forbidden", "The request failed because your account has an overdue balance. Request ID: {id}"),
    "AccessDenied": A("AccessDenied", 403, "Forbidden", "The request failed because you do not have access to the requested resource. Request ID: {id}"),
    "OperationDenied.ServiceNotOpen": A("OperationDenied.ServiceNotOpen", 403, "Forbidden", "Operation is denied because The model service is unavailable, please go to the Volcano Ark console activation management page to activate the corresponding model service, or submit a work order to contact us."),
    "InvalidEndpointOrModel.NotFound": A("InvalidEndpointOrModel.NotFound", 404, "NotFound", "The model or endpoint %s does not exist or you do not have access to it.", **{"%s": ARK_ENDPOINT}),
    "ModelNotOpen": Err("volcengine", "ModelNotOpen", 404, "Your account %s has not activated the model %s. Please activate the model service in the Ark Console.", {"%s has not": ARK_ACCOUNT + " has not", "model %s.": "model " + ARK_MODEL + "."}, etype="NotFound"),
    "RateLimitExceeded.EndpointRPMExceeded": A("RateLimitExceeded.EndpointRPMExceeded", 429, "TooManyRequests", "The Requests Per Minute (RPM) limit of the associated endpoint for your account has been exceeded. Request ID: {id}"),
    "RateLimitExceeded.EndpointTPMExceeded": A("RateLimitExceeded.EndpointTPMExceeded", 429, "TooManyRequests", "The Tokens Per Minute (TPM) limit of the associated endpoint for your account has been exceeded. Request ID: {id}"),
    "ModelAccountRpmRateLimitExceeded": A("ModelAccountRpmRateLimitExceeded", 429, "TooManyRequests", "RPM (Requests Per Minute) limit of the model is exceeded. Request ID: {id}"),
    "ModelAccountTpmRateLimitExceeded": A("ModelAccountTpmRateLimitExceeded", 429, "TooManyRequests", "TPM (Tokens Per Minute) limit of the model is exceeded. Request ID: {id}"),
    "QuotaExceeded": Err("volcengine", "QuotaExceeded", 429, "Your account [%s] has exhausted its free trial quota for the [%s] model. Request ID: {id}", {"[%s] has": "[" + ARK_ACCOUNT + "] has", "[%s] model": "[" + ARK_MODEL + "] model"}, etype="TooManyRequests"),
    "ModelLoadingError": A("ModelLoadingError", 429, "TooManyRequests", "The request cannot be processed at this time because the model is currently being loaded. Please retry later. Request ID: {id}"),
    "ServerOverloaded": A("ServerOverloaded", 429, "TooManyRequests", "The service is currently unable to handle additional requests due to server overload. Please retry later. Request ID: {id}"),
    # The doc shows a line break before "Request ID"; we send it as one line (a space), see README.
    "SetLimitExceeded": Err("volcengine", "SetLimitExceeded", 429, "Your account [%s] has reached the set inference limit for the [%s] model, and the model service has been paused. To continue using this model, please visit the Model Activation page to adjust or close the \"Safe Experience Mode\". Request ID: {id}", {"[%s] has": "[" + ARK_ACCOUNT + "] has", "[%s] model": "[" + ARK_MODEL + "] model"}, etype="TooManyRequests"),
    "InflightBatchsizeExceeded": A("InflightBatchsizeExceeded", 429, "TooManyRequests", "The Inflight Batchsize limit for free account has been exceeded.Request ID: {id}"),
    "InternalServiceError": A("InternalServiceError", 500, "InternalServerError", "The service encountered an unexpected internal error. Please retry later. Request ID: {id}"),
    "InternalError": A("InternalError", 500, "InternalServerError", "The request has failed due to an unknown error."),
}


def error_plan(err: Err, host: str, sse: bool = False) -> Tuple[Planned, Dict[str, Any]]:
    """The planned response for a documented error, and its manifest fields."""
    msg = err.message()
    if err.provider == "zhipu":
        plan = Planned(err.http_status or 400, jdump({"error": {"code": err.code, "message": msg}}))
    elif err.provider == "ppio":
        plan = Planned(err.http_status or 400, jdump({"code": err.http_status, "reason": err.code, "message": msg, "metadata": {}}))
    elif err.provider == "volcengine":
        plan = Planned(err.http_status or 400, jdump({"error": {"code": err.code, "message": msg, "param": "", "type": err.etype}}),
                       headers=[("X-Request-Id", IDS.request_id())])
    elif err.provider == "coze":
        logid = IDS.coze_logid()
        if sse and err.via == "sse":
            created = {"id": "74" + IDS.digits(17), "conversation_id": "74" + IDS.digits(17), "bot_id": COZE_BOT,
                       "created_at": CLOCK.ms // 1000, "last_error": {"code": 0, "msg": ""}, "status": "created"}
            body = ("event: conversation.chat.created\ndata: " + json.dumps(created, ensure_ascii=False, separators=(",", ":")) + "\n\n"
                    "event: error\ndata: " + json.dumps({"code": int(err.code), "msg": msg}, ensure_ascii=False, separators=(",", ":")) + "\n\n")
            plan = Planned(200, body.encode("utf-8"), content_type="text/event-stream", headers=[("X-Tt-Logid", logid)])
        else:
            plan = Planned(200, jdump({"code": int(err.code), "msg": msg, "detail": {"logid": logid}}), headers=[("X-Tt-Logid", logid)])
    else:
        raise ValueError(err.provider)
    plan.expect_host = host
    return plan, {"provider": err.provider, "code": err.code, "http_status": err.http_status, "doc_message": err.doc_message}


# --------------------------------------------------------------------------
# Successful responses (so the logs have ordinary traffic between errors)
# --------------------------------------------------------------------------
REPLIES = ["好的，已为您整理成三点。", "Here is a short summary of the ticket.", "订单 #20261102-118 已查询到，预计明天送达。",
           "The function returns the parsed config.", "已翻译完成。"]


def completion_plan(host: str, model: str, rid: str) -> Tuple[Planned, int]:
    p, c = 100 + IDS.rng.randint(0, 700), 20 + IDS.rng.randint(0, 300)
    body = {"id": rid, "object": "chat.completion", "created": CLOCK.ms // 1000, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": IDS.rng.choice(REPLIES)}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}}
    return Planned(200, jdump(body), expect_host=host), p + c


COZE_BOT = "7428933434510426163"


def coze_ok_plan(host: str, stream: bool) -> Tuple[Planned, int]:
    logid = IDS.coze_logid()
    chat_id, conv_id = "74" + IDS.digits(17), "74" + IDS.digits(17)
    now = CLOCK.ms // 1000
    if not stream:
        data = {"id": chat_id, "conversation_id": conv_id, "bot_id": COZE_BOT, "created_at": now,
                "last_error": {"code": 0, "msg": ""}, "status": "in_progress"}
        return Planned(200, jdump({"code": 0, "msg": "", "data": data, "detail": {"logid": logid}}),
                       headers=[("X-Tt-Logid", logid)], expect_host=host), 0
    tokens = 300 + IDS.rng.randint(0, 900)
    chat = {"id": chat_id, "conversation_id": conv_id, "bot_id": COZE_BOT, "created_at": now,
            "last_error": {"code": 0, "msg": ""}, "status": "created"}
    events = [("conversation.chat.created", chat), ("conversation.chat.in_progress", dict(chat, status="in_progress"))]
    reply = IDS.rng.choice(REPLIES)
    for piece in (reply[: len(reply) // 2], reply[len(reply) // 2:]):
        events.append(("conversation.message.delta", {"id": "74" + IDS.digits(17), "conversation_id": conv_id, "bot_id": COZE_BOT,
                                                      "role": "assistant", "type": "answer", "content": piece, "content_type": "text", "chat_id": chat_id}))
    events.append(("conversation.chat.completed", dict(chat, status="completed", completed_at=now + 3,
                                                       usage={"token_count": tokens, "output_count": tokens // 5, "input_count": tokens - tokens // 5})))
    body = "".join("event: %s\ndata: %s\n\n" % (ev, json.dumps(d, ensure_ascii=False, separators=(",", ":"))) for ev, d in events)
    body += 'event: done\ndata: "[DONE]"\n\n'
    return Planned(200, body.encode("utf-8"), content_type="text/event-stream", headers=[("X-Tt-Logid", logid)], expect_host=host), tokens


# --------------------------------------------------------------------------
# Targets: one SDK against one provider endpoint
# --------------------------------------------------------------------------
@dataclasses.dataclass
class Target:
    name: str            # file name prefix
    sdk: str             # manifest "sdk"
    group: str           # which venv runs it: main | zai
    provider_url: str    # base URL given to the SDK
    host: str
    model: str
    errors: List[Err]
    make: Callable[["Target"], Any]
    call: Callable[["Target", Any], int]   # returns tokens on success
    stream: bool = False
    ok_plan: Optional[Callable[["Target"], Tuple[Planned, int]]] = None


def _openai_like_ok(t: Target) -> Tuple[Planned, int]:
    return completion_plan(t.host, t.model, IDS.request_id())


def _messages() -> List[Dict[str, str]]:
    return [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "帮我总结一下这张工单的要点"}]


def make_zhipuai(t: Target) -> Any:
    from zhipuai import ZhipuAI
    return ZhipuAI(api_key="4c5b8e2f0a9d4e6b8c1f3a7d2e9b0c4f.Xk9sLmQ2rT8vWp4z", base_url=t.provider_url, max_retries=0)


def make_zai(t: Target) -> Any:
    from zai import ZaiClient
    return ZaiClient(api_key="9e1d7c3b5a2f4d8e9c0b6a1f3e7d5c2b.Qp7rTz2mLw9xKc4v", base_url=t.provider_url, max_retries=0)


def make_ark(t: Target) -> Any:
    import volcenginesdkarkruntime._base_client as ark_base
    from volcenginesdkarkruntime import Ark

    # The SDK stamps every request with X-Client-Request-Id = now + 20 random
    # characters, and puts it into str(exception).  Same format, fake clock.
    def _gen_request_id() -> str:
        return CLOCK.stamp() + IDS.alnum(20)

    ark_base._gen_request_id = _gen_request_id
    return Ark(base_url=t.provider_url, api_key="7f3c9a1e-2b4d-4e8f-9a6c-1d3e5f7a9b2c", max_retries=0)


def make_openai(t: Target) -> Any:
    from openai import OpenAI
    return OpenAI(base_url=t.provider_url, api_key="sk-capture-0000000000000000", max_retries=0)


def make_coze(t: Target) -> Any:
    from cozepy import Coze, TokenAuth
    return Coze(auth=TokenAuth(token="pat_Zb7Kq2LmX9wR4tVn8sYc1pDf6hJg3aEu5iOo0kBe"), base_url=t.provider_url)


def call_chat(t: Target, client: Any) -> int:
    resp = client.chat.completions.create(model=t.model, messages=_messages())
    return resp.usage.total_tokens


def call_coze(t: Target, client: Any) -> int:
    from cozepy import Message
    chat = client.chat.create(bot_id=COZE_BOT, user_id="u_1042",
                              additional_messages=[Message.build_user_question_text("帮我查一下订单 #20261102-118 的物流")])
    return 0 if chat.usage is None else chat.usage.token_count


def call_coze_stream(t: Target, client: Any) -> int:
    from cozepy import ChatEventType, Message
    tokens = 0
    for event in client.chat.stream(bot_id=COZE_BOT, user_id="u_1042",
                                    additional_messages=[Message.build_user_question_text("帮我查一下订单 #20261102-118 的物流")]):
        if event.event == ChatEventType.CONVERSATION_CHAT_COMPLETED and event.chat and event.chat.usage:
            tokens = event.chat.usage.token_count
    return tokens


def zl(*keys: str) -> List[Err]:
    return [ZHIPU[k] for k in keys]


def al(*keys: str) -> List[Err]:
    return [ARK[k] for k in keys]


def cl(*keys: str, via: str = "json") -> List[Err]:
    return [dataclasses.replace(COZE[k], via=via) for k in keys]


ZHIPU_URL = "http://open.bigmodel.cn/api/paas/v4/"
ZAI_URL = "http://api.z.ai/api/paas/v4/"
ARK_URL = "http://ark.cn-beijing.volces.com/api/v3"
COZE_URL = "http://api.coze.cn"
PPIO_URL = "http://api.ppinfra.com/v3/openai"

TARGETS: List[Target] = [
    Target("zhipuai", "zhipuai", "main", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus",
           zl("1113", "1302", "1002", "1301", "1211", "1303", "http429-concurrency", "1214", "1112", "1304",
              "http401", "500", "http429-balance", "1212", "http434", "http500", "1110", "http400"),
           make_zhipuai, call_chat, ok_plan=_openai_like_ok),
    Target("zai-sdk", "zai-sdk", "zai", ZAI_URL, "api.z.ai", "glm-4.6",
           zl("1308", "1113", "1000", "1301", "1302", "1309", "1213", "1003", "1220", "1121", "1231", "500", "1304", "1004"),
           make_zai, call_chat, ok_plan=_openai_like_ok),
    Target("volcengine-ark", "volcengine-python-sdk", "main", ARK_URL, "ark.cn-beijing.volces.com", ARK_MODEL,
           al("RateLimitExceeded.EndpointRPMExceeded", "AccountOverdueError", "AuthenticationError", "SensitiveContentDetected",
              "ModelNotOpen", "ServerOverloaded", "InvalidParameter.model", "QuotaExceeded", "InternalServiceError",
              "InvalidEndpointOrModel.NotFound", "ModelAccountTpmRateLimitExceeded", "SetLimitExceeded", "AccessDenied",
              "InputTextSensitiveContentDetected", "InvalidEndpoint.ClosedEndpoint", "MissingParameter"),
           make_ark, call_chat, ok_plan=_openai_like_ok),
    Target("cozepy-chat", "cozepy", "main", COZE_URL, "api.coze.cn", "",
           cl("4011", "4100", "4009", "4008", "4102", "4010", "4020", "4015", "4013", "4022", "4019", "4101",
              "4000", "4007", "4012", "5000"),
           make_coze, call_coze, ok_plan=lambda t: coze_ok_plan(t.host, False)),
    Target("cozepy-stream", "cozepy", "main", COZE_URL, "api.coze.cn", "",
           cl("4011", via="sse") + cl("4100") + cl("4009", "4013", via="sse") + cl("4015") + cl("4010", "4020", "4014", via="sse")
           + cl("4016") + cl("4022", "5000", via="sse") + cl("4008"),
           make_coze, call_coze_stream, stream=True, ok_plan=lambda t: coze_ok_plan(t.host, True)),
    Target("openai-zhipu", "openai", "main", ZHIPU_URL, "open.bigmodel.cn", "glm-4-flash",
           zl("1302", "1113", "1001", "1301", "1211", "1303", "500", "1214", "http429-balance", "1304"),
           make_openai, call_chat, ok_plan=_openai_like_ok),
    Target("openai-ark", "openai", "main", ARK_URL, "ark.cn-beijing.volces.com", ARK_MODEL,
           al("RateLimitExceeded.EndpointTPMExceeded", "AccountOverdueError", "AuthenticationError", "SensitiveContentDetected.SevereViolation",
              "InvalidEndpointOrModel.NotFound", "ModelAccountRpmRateLimitExceeded", "MissingParameter.messages", "QuotaExceeded",
              "InternalServiceError", "ModelLoadingError", "OperationDenied.ServiceNotOpen", "InflightBatchsizeExceeded", "InternalError",
              "InvalidParameter"),
           make_openai, call_chat, ok_plan=_openai_like_ok),
    Target("openai-ppio", "openai", "main", PPIO_URL, "api.ppinfra.com", "deepseek/deepseek-v3.1",
           [PPIO[k] for k in ("RATE_LIMIT_EXCEEDED", "NOT_ENOUGH_BALANCE", "INVALID_API_KEY", "ILLEGAL_PROMPT", "MODEL_NOT_FOUND",
                              "TOKEN_LIMIT_EXCEEDED", "FAILED_TO_AUTH", "SERVICE_NOT_AVAILABLE", "INVALID_REQUEST_BODY", "ACCESS_DENY")],
           make_openai, call_chat, ok_plan=_openai_like_ok),
]

STYLES = ["logging-exception", "logger-error", "jsonl", "repr"]
FILLER = ["GET /healthz 200 1ms", "POST /api/v1/assist 200 %dms", "cache hit ratio=0.%02d", "worker heartbeat queue_depth=%d"]


# --------------------------------------------------------------------------
# Logging styles
# --------------------------------------------------------------------------
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        obj: Dict[str, Any] = {"ts": CLOCK.iso(int(record.created * 1000 + 0.5)), "level": record.levelname.lower(),
                               "logger": record.name, "msg": record.getMessage()}
        if hasattr(record, "err"):
            obj["err"] = record.err
            obj["provider_url"] = record.provider_url
        return json.dumps(obj, ensure_ascii=False)


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def setup_logging(style: str, stream: Any) -> Tuple[logging.Logger, ErrorCounter, List[logging.Handler]]:
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.setLevel(logging.WARNING)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter() if style == "jsonl" else logging.Formatter(TEXT_FORMAT))
    counter = ErrorCounter()
    root.addHandler(handler)
    app = logging.getLogger("app.llm")
    app.setLevel(logging.INFO)
    app.addHandler(counter)
    http_level = logging.INFO if style in ("logging-exception", "logger-error") else logging.WARNING
    for name in ("httpx", "httpx2"):  # openai 3.x sends its requests through httpx2 (logger "httpx2")
        logging.getLogger(name).setLevel(http_level)
    logging.getLogger("app.web").setLevel(logging.INFO)
    return app, counter, [handler]


def teardown_logging(app: logging.Logger, counter: ErrorCounter, handlers: List[logging.Handler]) -> None:
    root = logging.getLogger()
    for h in handlers:
        h.flush()
        root.removeHandler(h)
    app.removeHandler(counter)


def log_error(app: logging.Logger, style: str, e: BaseException, t: Target) -> None:
    if style == "logging-exception":
        app.exception("llm call failed")
    elif style == "logger-error":
        app.error("llm call failed: %s", e)
    elif style == "jsonl":
        app.error("llm call failed", extra={"err": str(e), "provider_url": t.provider_url})
    elif style == "repr":
        app.error("%r", e)
    else:
        raise ValueError(style)


# --------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------
def normalise(text: str) -> str:
    for old, new in PATH_REWRITES:
        text = text.replace(old, new)
    assert SERVER is not None
    port = SERVER.server_address[1]
    text = text.replace("127.0.0.1:%d" % port, "127.0.0.1:PORT").replace("localhost:%d" % port, "localhost:PORT")
    return text


def run_file(t: Target, style: str) -> Tuple[str, int]:
    fname = f"{t.name}-{style}"
    CLOCK.reset(fname)
    global IDS
    IDS = Ids(fname)
    rng = random.Random(zlib.crc32(("plan:" + fname).encode()))
    client = t.make(t)

    import io
    buf = io.StringIO()
    if t.sdk == "cozepy":  # cozepy's own warning lines go to its own stderr handler: see run_cozepy_own_warnings
        import cozepy.log as cozelog
        for h in cozelog.logger.handlers:
            h.setStream(io.StringIO())
    app, counter, handlers = setup_logging(style, buf)
    web = logging.getLogger("app.web")
    manifest: List[Dict[str, Any]] = []

    def success() -> None:
        assert t.ok_plan is not None
        plan, _ = t.ok_plan(t)
        expect(plan)
        tokens = t.call(t, client)
        check_drained(fname)
        if t.sdk == "cozepy" and not t.stream:
            app.info("chat submitted bot_id=%s", COZE_BOT)
        else:
            app.info("chat ok tokens=%d", tokens)
        CLOCK.pause()

    web.info("POST /api/v1/assist 200 %dms", 800 + rng.randint(0, 1500))
    success()
    for i, err in enumerate(t.errors):
        if rng.random() < 0.35:
            f = rng.choice(FILLER)
            web.info(f % rng.randint(10, 99) if "%" in f else f)
            CLOCK.pause(0.5, 3)
        plan, fields = error_plan(err, t.host, sse=t.stream)
        expect(plan)
        try:
            t.call(t, client)
        except Exception as e:  # the SDK's real exception
            check_drained(fname)
            log_error(app, style, e, t)
            manifest.append(dict(fields, sdk=t.sdk, style=style))
        else:
            raise SystemExit(f"{fname}: {err.code} did not raise")
        CLOCK.pause()
        if i % 3 == 2:
            success()
    success()

    teardown_logging(app, counter, handlers)
    if counter.count != len(manifest):
        raise SystemExit(f"{fname}: {counter.count} error records but {len(manifest)} manifest rows")
    text = normalise(buf.getvalue())
    write(OUT / f"{fname}.log", text)
    write(OUT / f"{fname}.expect.jsonl", "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in manifest))
    return fname, len(manifest)


def run_cozepy_own_warnings() -> Tuple[str, int]:
    """cozepy logs every failed request itself, through its own logger
    ("cozepy", own stderr handler, propagate=False).  Capture those lines."""
    import io
    import cozepy.log as cozelog
    t = next(x for x in TARGETS if x.name == "cozepy-chat")
    fname = "cozepy-sdk-warning"
    CLOCK.reset(fname)
    global IDS
    IDS = Ids(fname)
    client = t.make(t)
    buf = io.StringIO()
    (handler,) = cozelog.logger.handlers
    old = handler.setStream(buf) or sys.stderr
    manifest = []
    try:
        for err in t.errors:
            plan, fields = error_plan(err, t.host)
            expect(plan)
            try:
                t.call(t, client)
            except Exception:
                check_drained(fname)
                manifest.append(dict(fields, sdk=t.sdk, style="sdk-warning"))
            else:
                raise SystemExit(f"{fname}: {err.code} did not raise")
            CLOCK.pause()
    finally:
        handler.setStream(old)
    text = normalise(buf.getvalue())
    if text.count("\n") != len(manifest):
        raise SystemExit(f"{fname}: expected one cozepy warning line per error")
    write(OUT / f"{fname}.log", text)
    write(OUT / f"{fname}.expect.jsonl", "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in manifest))
    return fname, len(manifest)


def write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", choices=["main", "zai", "all"], default="all",
                    help="zhipuai and zai-sdk cannot share a venv (PyJWT pins conflict): run.sh runs each group in its own")
    ap.add_argument("--only", help="run only targets whose name starts with this")
    args = ap.parse_args()

    if sys.version_info[:2] != (3, 11):
        print("warning: fixtures were made with Python 3.11; tracebacks (carets, paths) will differ", file=sys.stderr)
    for k in ("OPENAI_LOG", "OPENAI_BASE_URL", "ZHIPUAI_BASE_URL", "ZAI_BASE_URL"):
        os.environ.pop(k, None)  # would change what the SDKs log or where they go

    global SERVER
    SERVER = ProviderServer()
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()
    proxy = "http://127.0.0.1:%d" % SERVER.server_address[1]
    for k in ("HTTP_PROXY", "http_proxy"):
        os.environ[k] = proxy
    for k in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(k, None)

    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for t in TARGETS:
        if args.group != "all" and t.group != args.group:
            continue
        if args.only and not t.name.startswith(args.only):
            continue
        for style in STYLES:
            results.append(run_file(t, style))
        if t.name == "cozepy-chat":
            results.append(run_cozepy_own_warnings())
    SERVER.shutdown()
    for name, n in results:
        print(f"{name}.log: {n} errors")


if __name__ == "__main__":
    main()
