#!/usr/bin/env python3
"""Writes fixtures/logs/notations/: provider errors as Java, Kotlin, Go and Rust programs print them.

Two kinds of file, each with its manifest (`X.expect.jsonl`) beside it:

- `verbatim-*.log`: error records copied from public issues (cited in the fixture README), with
  the facts each one states (provider, code, status) written down here by hand.
- every other file: each catalog row (its message and each alias, placeholders filled) and a
  few undocumented codes, rendered the way one language's SDKs and loggers print them, inside
  that language's log lines and stack frames.

The manifests follow tools/capture-node's rules: `code` only where the printed text shows the
code or a message that is exactly one row's; `evidence` code, else message, else status; `line`
the first line of the record that shows it. Deterministic (fixed seeds, fixed clock), stdlib only.

Usage: python3 tools/notations/make_notations.py [--catalog FILE]
       (without --catalog it runs `cargo run --quiet -- catalog --format json`)
"""
import argparse
import datetime
import json
import pathlib
import random
import re
import subprocess
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "logs" / "notations"
START = datetime.datetime(2026, 11, 2, 10, 0, 0)

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}|\$\{(\w+)\}|\{(\w+)\}|%s")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")

# Plausible values, one list per placeholder name (the same ones tools/capture-node uses).
VALUES = {
    "method": ["SSE", "sync"],
    "field": ["messages", "temperature", "top_p", "max_tokens"],
    "field1": ["temperature"],
    "field2": ["top_p"],
    "API_name": ["glm-4-alltools", "cogview-4"],
    "next_flush_time": ["2026-11-02 15:00:00"],
    "number": ["5"],
    "Parameter": ["model", "messages", "temperature", "max_tokens"],
    "ResourceType": ["endpoint"],
    "ResourceContent": ["ep-20261030173512-x7k2p"],
}
ARK_ACCOUNT = "2108832479"
ARK_ENDPOINT = "ep-20261030173512-x7k2p"
MODELS = {"zhipu": "glm-4-plus", "volcengine": "doubao-seed-1-6-250615", "ppio": "deepseek/deepseek-v3.1", "coze": ""}
HOSTS = {
    "zhipu": "https://open.bigmodel.cn/api/paas/v4/chat/completions",
    "volcengine": "https://ark.cn-beijing.volces.com/api/v3/chat/completions",
    "ppio": "https://api.ppinfra.com/v3/openai/chat/completions",
    "coze": "https://api.coze.cn/v3/chat",
}
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
           434: "", 435: "", 500: "Internal Server Error", 503: "Service Unavailable"}

# Codes the services send that no document lists (as in tools/capture-node/lib/catalog.js).
UNDOCUMENTED = {
    "zhipu": {"code": "1305", "status": 429, "message": "该模型当前访问量过大，请您稍后再试"},
    "volcengine": {"code": "ModelAccountIpmRateLimitExceeded", "status": 429, "type": "TooManyRequests",
                   "message": "IPM (Images Per Minute) limit of the model is exceeded. Request ID: {id}"},
    "ppio": {"code": "CONTEXT_LENGTH_EXCEEDED", "status": 400, "message": "上下文长度超过模型限制"},
    "coze": {"code": "4027", "status": None, "message": "工作流运行超时"},
}


def zhipu_status(entry):
    """The status Zhipu answers a business code with (its document lists none)."""
    code = int(entry["code"])
    if entry["category"] == "server_error":
        return 500
    if 1000 <= code < 1100:
        return 401
    if 1100 <= code < 1200:
        return 429
    if 1200 <= code < 1302:
        return 400
    return 429


def template_regex(text):
    out, last = "", 0
    for m in PLACEHOLDER.finditer(text):
        out += re.escape(text[last:m.start()]) + ".+?"
        last = m.end()
    return re.compile("^" + out + re.escape(text[last:]) + "$", re.S)


class Catalog:
    def __init__(self, entries):
        self.entries = entries
        for e in entries:
            e["texts"] = [e["message"]] + list(e.get("aliases") or [])
            e["patterns"] = [template_regex(t) for t in e["texts"]]
        self.ark_type_status = {e["type"]: e["http_status"] for e in entries if e.get("type") and e.get("http_status")}

    def of(self, provider):
        return [e for e in self.entries if e["provider"] == provider]

    def identify(self, provider, status, text):
        return [e for e in self.of(provider)
                if (status is None or e["http_status"] is None or e["http_status"] == status)
                and any(p.match(text) for p in e["patterns"])]

    def find(self, provider, code):
        rows = [e for e in self.of(provider) if e["code"] == code]
        return rows[0] if rows else None

    def category_at_status(self, provider, status):
        cats = {e["category"] for e in self.of(provider) if e["http_status"] == status}
        return cats.pop() if len(cats) == 1 else None


class Ids:
    def __init__(self, seed):
        self.rng = random.Random(zlib.crc32(("ids:" + seed).encode()))
        self.t = START

    def tick(self, lo=0.02, hi=4.0):
        self.t += datetime.timedelta(milliseconds=self.rng.randint(int(lo * 1000), int(hi * 1000)))
        return self.t

    def hexs(self, n, upper=False):
        s = "".join(self.rng.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def epoch_ms(self):
        return int((self.t - datetime.datetime(1970, 1, 1)).total_seconds() * 1000)

    def ark_request_id(self):  # "02" + epoch ms + 38 hex (volcengine-java-sdk#107)
        return "02" + str(self.epoch_ms()) + self.hexs(38)

    def client_request_id(self):  # 20250217055635krK1bwDl8hFQWAp0pk3w
        alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return self.t.strftime("%Y%m%d%H%M%S") + "".join(self.rng.choice(alnum) for _ in range(20))

    def logid(self):
        return self.t.strftime("%Y%m%d%H%M%S") + self.hexs(20, upper=True)

    def ptr(self):
        return "0xc000" + self.hexs(6)


def fill(text, key, ids, model, fixed):
    def one(m):
        name = m.group(1) or m.group(2) or m.group(3) or "%s"
        if name in fixed:
            return fixed[name]
        if name in ("id", "request_id"):
            return ids.ark_request_id()
        if name == "error_id":
            return ids.hexs(16)
        if name == "unit":
            value = "小时" if CJK.search(text) else "hours"
        elif name == "%s":
            before, after = text[:m.start()][-16:].lower(), text[m.end():][:10].lower()
            near = before + " | " + after
            if re.search(r"account\s*\[?\s*\|", near):
                return ARK_ACCOUNT
            if re.search(r"endpoint\s*\|", near):
                return ARK_ENDPOINT
            return model
        else:
            values = VALUES[name]
            value = values[zlib.crc32(key.encode()) % len(values)]
        fixed[name] = value
        return value
    return PLACEHOLDER.sub(one, text)


class Sample:
    """One error as the provider sent it."""

    def __init__(self, provider, entry, code, message, status, etype, ids):
        self.provider, self.entry, self.code, self.message = provider, entry, code, message
        self.status, self.type = status, etype
        self.param = ""
        self.logid = ids.logid() if provider == "coze" else None
        self.client_request_id = ids.client_request_id()
        self.request_id = ids.ark_request_id()
        self.known = entry is not None
        self.category = entry["category"] if entry else "unknown"

    def reason(self):
        return REASONS.get(self.status, "")

    def body(self):
        """The provider's JSON body, as a dict (None: Coze, whose status is 200)."""
        if self.provider == "zhipu":
            return {"error": {"code": self.code, "message": self.message}}
        if self.provider == "ppio":
            return {"code": self.status, "reason": self.code, "message": self.message, "metadata": {}}
        if self.provider == "volcengine":
            return {"error": {"code": self.code, "message": self.message, "param": self.param, "type": self.type}}
        return {"code": int(self.code), "msg": self.message, "detail": {"logid": self.logid}}


def samples_for(catalog, provider, seed):
    ids = Ids("samples:" + seed + provider)
    out = []
    for entry in catalog.of(provider):
        for text in entry["texts"]:
            ids.tick(1, 30)  # ids carry a time: a later error, a later id
            fixed = {}
            key = f"{provider}/{entry['code']}/{entry.get('variant') or ''}"
            code = fill(entry["code"], key, ids, MODELS[provider], fixed) if "{{" in entry["code"] else entry["code"]
            message = fill(text, key, ids, MODELS[provider], fixed)
            if provider == "zhipu":
                status = entry["http_status"] or zhipu_status(entry)
            elif provider == "coze":
                status = None
            else:
                status = entry["http_status"]
            s = Sample(provider, entry, code, message, status, entry.get("type"), ids)
            s.param = fixed.get("Parameter", "")
            out.append(s)
    u = UNDOCUMENTED[provider]
    out.append(Sample(provider, None, u["code"], fill(u["message"], u["code"], ids, MODELS[provider], {}), u["status"], u.get("type"), ids))
    return out


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------------------------
# Notations: how each language's SDKs print one error
# --------------------------------------------------------------------------------------------
def java_string(s):
    return s  # Java's toString concatenates strings as they are


def ark_tostring(s):
    # volcengine-java-sdk ArkHttpException.toString(), as printed in volcengine-java-sdk#107.
    return (f"ArkHttpException{{statusCode={s.status}, message='{s.message}', code='{s.code}', "
            f"param='{s.param}', type='{s.type}', requestId='{s.client_request_id}'}}")


def coze_lombok(s):
    # coze-java's Lombok toString (coze-dev/coze-java#47).
    return f"CozeApiException(code={s.code}, msg={s.message}, logID={s.logid})"


def spring_ai(s):
    # Spring AI's RetryUtils: "<status> - <response body>" (spring-projects/spring-ai#903).
    kind = "TransientAiException" if (s.status or 0) >= 500 else "NonTransientAiException"
    return f"org.springframework.ai.retry.{kind}: {s.status} - {jdump(s.body())}"


JAVA_FRAMES = {
    "volcengine": ["com.volcengine.ark.runtime.service.ArkService.execute(ArkService.java:153)",
                   "com.volcengine.ark.runtime.service.ArkService.createChatCompletion(ArkService.java:173)",
                   "com.example.assist.llm.ArkChatClient.complete(ArkChatClient.java:61)",
                   "com.example.assist.web.AssistController.ask(AssistController.java:44)"],
    "coze": ["com.coze.openapi.service.utils.Utils.execute(Utils.java:89)",
             "com.coze.openapi.service.service.chat.ChatService.create(ChatService.java:98)",
             "com.example.assist.llm.CozeBotClient.ask(CozeBotClient.java:37)"],
    "spring": ["org.springframework.ai.retry.RetryUtils$1.handleError(RetryUtils.java:73)",
               "org.springframework.web.client.StatusHandler.lambda$fromErrorHandler$1(StatusHandler.java:71)",
               "org.springframework.web.client.DefaultRestClient$DefaultResponseSpec.readBody(DefaultRestClient.java:659)",
               "org.springframework.ai.openai.api.OpenAiApi.chatCompletionEntity(OpenAiApi.java:211)",
               "org.springframework.ai.openai.OpenAiChatModel.internalCall(OpenAiChatModel.java:188)",
               "com.example.assist.llm.ChatGateway.complete(ChatGateway.java:52)"],
}


def java_exception(s, style):
    """(first line, frames) of the exception: logback prints `class: getMessage()`, printStackTrace
    (log4j2 %throwable, uncaught exceptions) prints `toString()`."""
    if s.provider == "volcengine":
        head = ark_tostring(s)
        if style == "logback":  # getMessage() returns toString()
            head = "com.volcengine.ark.runtime.exception.ArkHttpException: " + head
        frames = JAVA_FRAMES["volcengine"]
        cause = [f"Caused by: retrofit2.adapter.rxjava2.HttpException: HTTP {s.status} ",
                 "\tat retrofit2.adapter.rxjava2.BodyObservable$BodyObserver.onNext(BodyObservable.java:57)",
                 "\t... 12 common frames omitted" if style == "logback" else "\t... 12 more"]
        return [head] + ["\tat " + f for f in frames] + cause
    if s.provider == "coze":
        head = coze_lombok(s) if style != "logback" else "com.coze.openapi.client.exception.CozeApiException: " + coze_lombok(s)
        return [head] + ["\tat " + f for f in JAVA_FRAMES["coze"]]
    return [spring_ai(s)] + ["\tat " + f for f in JAVA_FRAMES["spring"]]


def kotlin_data(s):
    if s.provider == "zhipu":
        return f"ZhipuErrorResponse(error=ZhipuError(code={s.code}, message={s.message}))"
    if s.provider == "volcengine":
        return f"ArkErrorResponse(error=ArkError(code={s.code}, message={s.message}, param={s.param}, type={s.type}))"
    if s.provider == "ppio":
        return f"PpioError(code={s.status}, reason={s.code}, message={s.message}, metadata={{}})"
    return f"CozeResponse(code={s.code}, msg={s.message}, detail=Detail(logid={s.logid}), data=null)"


def go_quote(text):
    return json.dumps(text, ensure_ascii=False)


def go_error_string(s):
    """err.Error() of each provider's Go client."""
    if s.provider == "volcengine":
        # volcengine-go-sdk arkruntime model.APIError.Error(): "Error code: %d - %s" of its JSON.
        return f"Error code: {s.status} - " + jdump({"code": s.code, "message": s.message, "param": s.param, "type": s.type, "request_id": s.client_request_id})
    if s.provider == "coze":
        return f"Code: {s.code}, Message: {s.message}, LogID: {s.logid}"  # coze-go CozeError
    if s.provider == "zhipu":
        # go-openai APIError.Error(): the code is not printed.
        return f"error, status code: {s.status}, status: {s.status} {s.reason()}".rstrip() + f", message: {s.message}"
    # go-openai against PPIO: no `error` object in the body, so a RequestError with nothing in it.
    return f"error, status code: {s.status}, status: {s.status} {s.reason()}".rstrip() + ", message: %!s(<nil>)"


def go_plus_v(s, ids):
    """fmt.Printf("%+v", err) of the client's error value."""
    if s.provider == "volcengine":
        return (f"&{{Code:{s.code} Message:{s.message} Param:{ids.ptr()} Type:{s.type} "
                f"HTTPStatusCode:{s.status} RequestId:{s.client_request_id}}}")
    if s.provider == "coze":
        return f"&{{Code:{s.code} Message:{s.message} LogID:{s.logid}}}"
    if s.provider == "zhipu":  # yankeguo/zhipu APIErrorResponse
        return f"&{{APIError:{{Code:{s.code} Message:{s.message}}}}}"
    return f"&{{HTTPStatus:{s.status} {s.reason()} HTTPStatusCode:{s.status} Err:<nil> Body:[]}}"


def go_map(value):
    """fmt's %v of a decoded JSON value: map[k:v ...] with sorted keys."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_map(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_map(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    return str(value)


def rust_str(text):
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{out}"'


def rust_debug(s, pretty=False):
    """{:?} / {:#?} of the client's error type: async-openai's `OpenAIError::ApiError` for Zhipu
    (its body has the OpenAI `error` object), the application's own serde structs for the others."""
    if s.provider == "zhipu":
        fields = [("message", rust_str(s.message)), ("r#type", "None"), ("param", "None"), ("code", f"Some({rust_str(s.code)})")]
        name, outer = "ApiError", "ApiError"
    elif s.provider == "ppio":
        fields = [("code", str(s.status)), ("reason", rust_str(s.code)), ("message", rust_str(s.message)), ("metadata", "{}")]
        name, outer = "PpioError", "Api"
    elif s.provider == "volcengine":
        fields = [("code", rust_str(s.code)), ("message", rust_str(s.message)), ("param", f"Some({rust_str(s.param)})"),
                  ("r#type", f"Some({rust_str(s.type)})")]
        name, outer = "ArkError", "Api"
    else:
        fields = [("code", s.code), ("msg", rust_str(s.message)), ("logid", f"Some({rust_str(s.logid)})")]
        name, outer = "CozeError", "Api"
    if not pretty:
        return f"{outer}({name} {{ " + ", ".join(f"{k}: {v}" for k, v in fields) + " })"
    lines = [f"{outer}(", f"    {name} {{"] + [f"        {k}: {v}," for k, v in fields] + ["    },", ")"]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Log files: one language's logger around one notation
# --------------------------------------------------------------------------------------------
def java_ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def render_java_logback(s, ids, rng):
    t = ids.tick()
    thread = f"nio-8080-exec-{rng.randint(1, 9)}"
    if s.provider == "coze" and rng.random() < 0.5:
        # log.error("coze chat failed: {}", e): the placeholder takes the exception's toString().
        return [f"{java_ts(t)} ERROR 4242 --- [{thread}] c.e.assist.llm.CozeBotClient          : coze chat failed: {coze_lombok(s)}"]
    return [f"{java_ts(t)} ERROR 4242 --- [{thread}] c.e.assist.web.AssistController        : LLM call failed"] + java_exception(s, "logback")


def render_java_log4j2(s, ids, rng):
    t = ids.tick()
    head = f"{t.strftime('%H:%M:%S.')}{t.microsecond // 1000:03d} [pool-2-thread-{rng.randint(1, 4)}] ERROR com.example.assist.llm.Gateway - LLM call failed"
    if s.provider == "volcengine" and rng.random() < 0.4:
        # log.error("ark call failed: {}", e.getMessage()): one line.
        return [head.replace("LLM call failed", "ark call failed: " + ark_tostring(s))]
    return [head] + java_exception(s, "log4j2")


def render_kotlin(s, ids, rng):
    t = ids.tick()
    return [f"{java_ts(t)} ERROR 4242 --- [DefaultDispatcher-worker-{rng.randint(1, 8)}] c.e.assist.llm.ProviderClient          : provider call failed",
            f"com.example.assist.llm.ProviderException: {kotlin_data(s)}",
            "\tat com.example.assist.llm.ProviderClient.complete(ProviderClient.kt:74)",
            "\tat com.example.assist.llm.ProviderClient$complete$1.invokeSuspend(ProviderClient.kt)",
            "\tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)",
            "\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)"]


GO_STACK = {
    "volcengine": "github.com/volcengine/volcengine-go-sdk/service/arkruntime.(*Client).CreateChatCompletion\n\t/go/pkg/mod/github.com/volcengine/volcengine-go-sdk@v1.1.44/service/arkruntime/chat.go:34",
    "coze": "github.com/coze-dev/coze-go.(*chats).Create\n\t/go/pkg/mod/github.com/coze-dev/coze-go@v0.0.0-20250701083216-ef91f4c6258b/chats.go:39",
    "zhipu": "github.com/sashabaranov/go-openai.(*Client).CreateChatCompletion\n\t/go/pkg/mod/github.com/sashabaranov/go-openai@v1.40.5/chat.go:396",
    "ppio": "github.com/sashabaranov/go-openai.(*Client).CreateChatCompletion\n\t/go/pkg/mod/github.com/sashabaranov/go-openai@v1.40.5/chat.go:396",
}


def render_go_zap(s, ids, rng):
    t = ids.tick()
    ts = round((t - datetime.datetime(1970, 1, 1)).total_seconds(), 3)
    record = {"level": "error", "ts": ts, "caller": "llm/client.go:88", "msg": "llm call failed",
              "model": MODELS[s.provider] or "bot:7428933434510426163", "error": go_error_string(s),
              "stacktrace": "main.(*Gateway).Chat\n\t/app/llm/client.go:88\n" + GO_STACK[s.provider] + "\nmain.main\n\t/app/main.go:41"}
    return [jdump(record)]


def render_go_logrus(s, ids, rng):
    t = ids.tick()
    err = go_plus_v(s, ids)
    return [f'time="{t.strftime("%Y-%m-%dT%H:%M:%SZ")}" level=error msg="llm call failed" error={go_quote(err)} url={HOSTS[s.provider]}']


def render_go_log_map(s, ids, rng):
    t = ids.tick()
    body = s.body()
    return [f"{t.strftime('%Y/%m/%d %H:%M:%S')} llm/client.go:102: upstream {s.status if s.status else 200} body: {go_map(body)}"]


def render_rust_tracing(s, ids, rng):
    t = ids.tick()
    stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}Z"
    return [f"{stamp} ERROR llm_gateway::client: llm call failed error={rust_debug(s)} provider_url={HOSTS[s.provider]}"]


def render_rust_pretty(s, ids, rng):
    t = ids.tick()
    text = rust_debug(s, pretty=True)
    first, *rest = text.split("\n")
    return [f"[{t.strftime('%Y-%m-%dT%H:%M:%SZ')} ERROR llm_gateway::client] llm call failed: {first}"] + rest


FILES = {
    "java-logback": (render_java_logback, lambda t, rng: f"{java_ts(t)}  INFO 4242 --- [nio-8080-exec-{rng.randint(1, 9)}] c.e.assist.web.AssistController        : POST /api/v1/assist 200 {rng.randint(300, 2400)}ms"),
    "java-log4j2": (render_java_log4j2, lambda t, rng: f"{t.strftime('%H:%M:%S.')}{t.microsecond // 1000:03d} [pool-2-thread-{rng.randint(1, 4)}] INFO  com.example.assist.llm.Gateway - chat ok tokens={rng.randint(100, 1200)}"),
    "kotlin-logback": (render_kotlin, lambda t, rng: f"{java_ts(t)}  INFO 4242 --- [DefaultDispatcher-worker-{rng.randint(1, 8)}] c.e.assist.llm.ProviderClient          : chat ok tokens={rng.randint(100, 1200)}"),
    "go-zap": (render_go_zap, lambda t, rng: jdump({"level": "info", "ts": round((t - datetime.datetime(1970, 1, 1)).total_seconds(), 3), "caller": "llm/client.go:71", "msg": "chat ok", "tokens": rng.randint(100, 1200)})),
    "go-logrus": (render_go_logrus, lambda t, rng: f'time="{t.strftime("%Y-%m-%dT%H:%M:%SZ")}" level=info msg="chat ok" tokens={rng.randint(100, 1200)}'),
    "go-log-map": (render_go_log_map, lambda t, rng: f"{t.strftime('%Y/%m/%d %H:%M:%S')} llm/client.go:96: chat ok tokens={rng.randint(100, 1200)}"),
    "rust-tracing": (render_rust_tracing, lambda t, rng: f"{t.strftime('%Y-%m-%dT%H:%M:%S.')}{t.microsecond:06d}Z  INFO llm_gateway::client: chat ok tokens={rng.randint(100, 1200)}"),
    "rust-env-logger-pretty": (render_rust_pretty, lambda t, rng: f"[{t.strftime('%Y-%m-%dT%H:%M:%SZ')} INFO  llm_gateway::client] chat ok tokens={rng.randint(100, 1200)}"),
}


# --------------------------------------------------------------------------------------------
# Manifests: what the printed text identifies
# --------------------------------------------------------------------------------------------
def code_pattern(code):
    key = r"(?<![Ee]rror )(?<!status )\b(?i:code|reason)\\?[\"']?\s*[:=]\s*(?:Some\()?\\?[\"']?"
    return re.compile(key + re.escape(code) + r"(?![\w.])")


def message_forms(message):
    forms = {message, json.dumps(message, ensure_ascii=False)[1:-1], rust_str(message)[1:-1]}
    forms.add(json.dumps(json.dumps(message, ensure_ascii=False)[1:-1], ensure_ascii=False)[1:-1])
    return forms


def manifest_record(catalog, provider, code, message, status, category, known, entry, lines, start_line, extra):
    code_re = code_pattern(code) if code else None
    status_re = re.compile(rf"(?<![\w.]){status}(?![\w.])") if status is not None else None
    forms = message_forms(message) if message else set()

    def first(test):
        return next((i for i, l in enumerate(lines) if test(l)), None)

    at_code = first(lambda l: code_re.search(l)) if code_re else None
    at_msg = first(lambda l: any(f in l for f in forms)) if forms else None
    at_status = first(lambda l: status_re.search(l)) if status_re else None
    if at_code is not None:
        evidence, at = "code", at_code
    elif at_msg is not None:
        evidence, at = "message", at_msg
    elif at_status is not None:
        evidence, at = "status", at_status
    else:
        raise SystemExit(f"nothing of {provider} {code} in {lines!r}")
    out = {"provider": provider}
    if evidence == "code":
        out["code"] = code
    elif evidence == "message" and message:
        rows = catalog.identify(provider, status, message)
        if entry is not None and entry not in rows:
            raise SystemExit(f"{message!r} does not match its own row {entry['code']}")
        if len(rows) == 1:
            out["code"] = code
    # The status as the log shows it: one the printer left out (Go's `&{APIError:{..}}`) is not there to read.
    # Ark's error type stands for its status (`type: TooManyRequests` is 429): shown too.
    typed = provider == "volcengine" and any(
        re.search(rf"(?<![\w.]){t}(?![\w.])", l)
        for t, s in catalog.ark_type_status.items() if s == status for l in lines)
    shown = status if at_status is not None or typed else None
    out.update({"category": category, "http_status": shown, "known": known, "line": start_line + at, "evidence": evidence})
    out.update(extra)
    if evidence == "status":
        out["category_at_status"] = catalog.category_at_status(provider, status)
    return out


def generate(catalog, name):
    render, filler = FILES[name]
    rng = random.Random(zlib.crc32(("plan:" + name).encode()))
    samples = [s for p in ("zhipu", "volcengine", "ppio", "coze") for s in samples_for(catalog, p, name)]
    rng.shuffle(samples)
    ids = Ids(name)
    lines, manifest = [], []
    lines.append(filler(ids.tick(), rng))
    for s in samples:
        if rng.random() < 0.3:
            lines.append(filler(ids.tick(), rng))
        record = render(s, ids, rng)
        record = [l for chunk in record for l in chunk.split("\n")]
        manifest.append(manifest_record(catalog, s.provider, s.code, s.message, s.status, s.category, s.known, s.entry,
                                        record, len(lines) + 1, {"notation": name, "sent_code": s.code,
                                                                  "doc_message": s.entry["message"] if s.entry else None}))
        lines.extend(record)
    return "\n".join(lines) + "\n", manifest


# --------------------------------------------------------------------------------------------
# Verbatim public examples (sources in fixtures/logs/notations/README.md)
# --------------------------------------------------------------------------------------------
# Each: the lines as published, and what they state: provider, code, status, the row's code in
# the catalog (None: undocumented), the text the SDK printed as the provider's message.
VERBATIM = {
    "verbatim-java": [
        {
            "source": "volcengine/volcengine-java-sdk#107",
            "lines": [
                "Exception in thread \"main\" ArkHttpException{statusCode=400, message='The request failed because it is missing one or multiple required parameters. Request id: 0217397861963127a3eba3779afacbf4086645566c141b591d61a', code='MissingParameter', param='', type='BadRequest', requestId='20250217055635krK1bwDl8hFQWAp0pk3w'}",
                "\tat com.volcengine.ark.runtime.service.ArkService.execute(ArkService.java:153)",
                "\tat com.volcengine.ark.runtime.service.ArkService.createChatCompletion(ArkService.java:173)",
                "\tat com.newtranx.rag.util.ChatCompletionsExample.main(ChatCompletionsExample.java:60)",
                "Caused by: retrofit2.adapter.rxjava2.HttpException: HTTP 400 ",
                "\tat retrofit2.adapter.rxjava2.BodyObservable$BodyObserver.onNext(BodyObservable.java:57)",
                "\tat retrofit2.adapter.rxjava2.BodyObservable$BodyObserver.onNext(BodyObservable.java:38)",
                "\tat retrofit2.adapter.rxjava2.CallExecuteObservable.subscribeActual(CallExecuteObservable.java:48)",
                "\tat io.reactivex.Observable.subscribe(Observable.java:12284)",
                "\tat retrofit2.adapter.rxjava2.BodyObservable.subscribeActual(BodyObservable.java:35)",
                "\tat io.reactivex.Observable.subscribe(Observable.java:12284)",
                "\tat io.reactivex.internal.operators.observable.ObservableSingleSingle.subscribeActual(ObservableSingleSingle.java:35)",
                "\tat io.reactivex.Single.subscribe(Single.java:3666)",
                "\tat io.reactivex.Single.blockingGet(Single.java:2869)",
            ],
            "provider": "volcengine", "code": "MissingParameter", "http_status": 400,
            "message": "The request failed because it is missing one or multiple required parameters. Request id: 0217397861963127a3eba3779afacbf4086645566c141b591d61a",
        },
        {
            "source": "coze-dev/coze-java#47",
            "lines": ["CozeApiException(code=702042078, msg=We're currently experiencing server issues. Please try your request again after a short delay. If the problem persists, contact our support team., logID=20250223145719591EF28CA05E5BA97EF9)"],
            "provider": "coze", "code": "702042078", "http_status": None,
            "message": "We're currently experiencing server issues. Please try your request again after a short delay. If the problem persists, contact our support team.",
        },
        {
            "source": "spring-projects/spring-ai#903",
            "lines": ['org.springframework.ai.retry.NonTransientAiException: 400 - {"error":{"code":"1210","message":"API ���ò������������ĵ���"}}'],
            "provider": "zhipu", "code": "1210", "http_status": 400, "message": None,
        },
    ],
    "verbatim-node": [
        {
            "source": "coze-dev/coze-js#314",
            "lines": [
                "API调用失败: AuthenticationError: code: 4100, msg: authentication is invalid, logid: 2025110522060859DE7DB648C2DCC379B3",
                "    at Function.generate (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\node_modules\\@coze\\api\\dist\\cjs\\index.js:343:86)",
                "    at CozeAPI.makeRequest (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\node_modules\\@coze\\api\\dist\\cjs\\index.js:2040:67)",
                "    at processTicksAndRejections (node:internal/process/task_queues:96:5)",
                "    at async Chat.retrieve (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\node_modules\\@coze\\api\\dist\\cjs\\index.js:585:24)",
                "    at async Chat.createAndPoll (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\node_modules\\@coze\\api\\dist\\cjs\\index.js:521:20)",
                "    at async callLargeLanguageModel (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\index.js:104:26)",
                "    at async h.exports.main [as handler] (D:\\Users\\WuYi\\WeChatProjects\\wx_daily_fortune\\cloudfunctions\\aiAgentWorker\\index.js:16:26)",
            ],
            "provider": "coze", "code": "4100", "http_status": None, "message": "authentication is invalid",
        },
        {
            "source": "coze-dev/coze-js#314",
            "lines": ["cozepy.exception.CozeAPIError: code: 4100, msg: authentication is invalid"],
            "provider": "coze", "code": "4100", "http_status": None, "message": "authentication is invalid",
        },
        {
            "source": "continuedev/continue#11823",
            "lines": ["Model: GLM-5", "Provider: openai", "Status Code: 429", "429 余额不足或无可用资源包,请充值。"],
            "provider": "zhipu", "code": "1113", "http_status": 429, "message": "余额不足或无可用资源包,请充值。",
        },
        {
            "source": "deer-flow/llm-space#160",
            "lines": ["Error OpenAl API error (400): {\"code\":\"MissingParameter\",\"message\":\"The request failed because it is missing `input.content.text' parameter. Request id: 021788500305943b919054e80d377dd8a0d124 c23fd204e7a4f71\",\"param\":\"input.content.text\",\" type\":\"BadRequest\"}"],
            "provider": "volcengine", "code": "MissingParameter", "http_status": 400,
            "message": "The request failed because it is missing `input.content.text' parameter. Request id: 021788500305943b919054e80d377dd8a0d124 c23fd204e7a4f71",
        },
        {
            "source": "vercel/ai#9290",
            "lines": ["> responseBody: '{\"error\":{\"message\":\"Insufficient balance or no resource package. Please recharge.\",\"type\":\"AI_APICallError\",\"param\":{\"error\":\"Insufficient balance or no resource package. Please recharge.\",\"statusCode\":429,\"name\":\"AI_APICallError\",\"message\":\"Insufficient balance or no resource package. Please recharge.\",\"url\":\"https://api.z.ai/api/paas/v4/chat/completions\",\"isRetryable\":true,\"type\":\"AI_APICallError\"}}}',"],
            "provider": "zhipu", "code": "1113", "http_status": 429,
            "message": "Insufficient balance or no resource package. Please recharge.",
        },
    ],
}


def generate_verbatim(catalog, name):
    lines, manifest = [], []
    for ex in VERBATIM[name]:
        if lines:
            lines.append("")
        entry = catalog.find(ex["provider"], ex["code"])
        category = entry["category"] if entry else "unknown"
        # The text printed is not always the documented one: match it against every row, but
        # keep the record only if it names this row or none.
        record = manifest_record(catalog, ex["provider"], ex["code"], ex["message"], ex["http_status"], category, entry is not None,
                                 None, ex["lines"], len(lines) + 1, {"source": ex["source"], "sent_code": ex["code"]})
        lines.extend(ex["lines"])
        manifest.append(record)
    return "\n".join(lines) + "\n", manifest


def load_catalog(path):
    if path:
        return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    out = subprocess.run(["cargo", "run", "--quiet", "--", "catalog", "--format", "json"], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def write(path, text):
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--catalog", help="the output of `errwatch catalog --format json` (default: run it)")
    args = ap.parse_args()
    catalog = Catalog(load_catalog(args.catalog))
    OUT.mkdir(parents=True, exist_ok=True)
    for name in list(FILES) + list(VERBATIM):
        text, manifest = generate_verbatim(catalog, name) if name in VERBATIM else generate(catalog, name)
        write(OUT / f"{name}.log", text)
        write(OUT / f"{name}.expect.jsonl", "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in manifest))
        print(f"{name}.log: {len(manifest)} errors")
    # An error the printed text shows only the status of is expected as the README's rule for
    # a status alone counts it, as in every other fixture directory.
    sys.path.insert(0, str(ROOT / "tools" / "fixtures"))
    import status_only

    status_only.rewrite(str(OUT))


if __name__ == "__main__":
    main()
