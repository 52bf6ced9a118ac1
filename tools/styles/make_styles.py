#!/usr/bin/env python3
"""Writes fixtures/logs/styles/<provider>-<style>.log and the .expect.jsonl beside each.

Deterministic (per-file seeds, fixed start time), Python stdlib only. The bodies follow the
shapes each provider sends; messages come from src/catalog/*.toml (placeholders filled).
See fixtures/logs/styles/README.md for the manifest conventions.

Usage: python3 tools/styles/make_styles.py
"""
import datetime
import json
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "logs" / "styles"

ZHIPU_URL = "https://open.bigmodel.cn/api/paas/v4/chat/completions"
ZAI_URL = "https://api.z.ai/api/paas/v4/chat/completions"
PPIO_URL = "https://api.ppinfra.com/v3/openai/chat/completions"
PPIO_IMG = "https://api.ppinfra.com/v3/async/txt2img"
COZE_CN = "https://api.coze.cn/v3/chat"
COZE_COM = "https://api.coze.com/v3/chat"
COZE_WF = "https://api.coze.cn/v1/workflow/run"
ARK_URL = "https://ark.cn-beijing.volces.com/api/v3/chat/completions"


def J(obj, ascii=False, spaced=False):
    """JSON text: compact like most servers, or spaced like Python's json.dumps default."""
    return json.dumps(obj, ensure_ascii=ascii, separators=None if spaced else (",", ":"))


def fmt_time(kind, t):
    ms = f"{t.microsecond // 1000:03d}"
    if kind == "py":
        return t.strftime("%Y-%m-%d %H:%M:%S") + "," + ms
    if kind == "iso":
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "." + ms + "Z"
    if kind == "go":
        return t.strftime("%Y/%m/%d %H:%M:%S")
    if kind == "java":
        return t.strftime("%Y-%m-%d %H:%M:%S") + "." + ms
    if kind == "plain":
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if kind == "clf":
        return t.strftime("%d/%b/%Y:%H:%M:%S +0800")
    raise ValueError(kind)


def X(code, status, known=True, at=None):
    """One expected error. `at` is the text that marks its line (default: the code)."""
    return {"code": code, "http_status": status, "known": known, "at": at}


class Doc:
    def __init__(self, provider, style, seed, clock="py"):
        self.provider, self.style = provider, style
        self.rng = random.Random(seed)
        self.t = datetime.datetime(2026, 11, 2, 10, 0, 0)
        self.clock = clock
        self.lines = []
        self.expect = []

    def ts(self, kind=None, lo=0.02, hi=3.5):
        self.t += datetime.timedelta(milliseconds=self.rng.randint(int(lo * 1000), int(hi * 1000)))
        return fmt_time(kind or self.clock, self.t)

    def epoch(self):
        return int((self.t - datetime.datetime(1970, 1, 1)).total_seconds())

    def hexs(self, n, upper=False):
        s = "".join(self.rng.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def ark_id(self):
        ms = int((self.t - datetime.datetime(1970, 1, 1)).total_seconds() * 1000)
        return f"021{ms}{self.hexs(24)}"

    def logid(self):
        return self.t.strftime("%Y%m%d%H%M%S") + self.hexs(20, upper=True)

    def add(self, text, *exps):
        block = text.split("\n")
        base = len(self.lines)
        for e in exps:
            marker = e["at"] or e["code"]
            hits = [i for i, line in enumerate(block) if marker in line]
            assert hits, (self.provider, self.style, marker, text)
            self.expect.append({
                "provider": self.provider,
                "code": e["code"],
                "http_status": e["http_status"],
                "known": e["known"],
                "line": base + hits[0] + 1,
            })
        self.lines.extend(block)

    def write(self):
        assert 5 <= len(self.lines) <= 30, (self.provider, self.style, len(self.lines))
        assert self.expect, (self.provider, self.style)
        name = f"{self.provider}-{self.style}"
        (OUT / f"{name}.log").write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        rows = sorted(self.expect, key=lambda e: e["line"])  # stable: log order
        (OUT / f"{name}.expect.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return name, len(self.lines), len(rows)


# ----------------------------------------------------------------------------- bodies

def zb(code, message):
    return {"error": {"code": code, "message": message}}


def ab(d, code, message, typ, param=""):
    return {"error": {"code": code, "message": message, "param": param, "type": typ}}


def pb(status, reason, message):
    return {"code": status, "reason": reason, "message": message, "metadata": {}}


def cb(d, code, msg):
    return {"code": code, "msg": msg, "detail": {"logid": d.logid()}}


def rec(ts, level, logger, msg, **extra):
    r = {"ts": ts, "level": level, "logger": logger, "msg": msg}
    r.update(extra)
    return r


# ============================================================================= zhipu

def zhipu_raw():
    d = Doc("zhipu", "raw", 101)
    d.add(f"{d.ts()} INFO app.web: POST /api/v1/assist 200 812ms")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} INFO app.llm: chat ok model=glm-4-plus tokens=412")
    # The httpx status line and the body line below are the same response: one error.
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 429 Too Many Requests"')
    d.add(f"{d.ts()} ERROR app.llm: upstream 429 body={J(zb('1113', '余额不足或无可用资源包,请充值。'))}",
          X("1113", 429))
    d.add(f"{d.ts()} INFO app.web: GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR app.llm: upstream 401 body="
          f"{J(zb('1002', 'Authentication Token 非法，请确认 Authentication Token 正确传递'))}",
          X("1002", 401))
    # One record, the same body twice (message line + indented continuation): one error.
    body = J(zb("1302", "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额"))
    d.add(f"{d.ts()} WARNING app.llm: upstream 429 body={body} model=glm-4-plus attempt=1\n"
          f"    response: {body}",
          X("1302", 429))
    d.add(f"{d.ts()} INFO app.llm: chat ok model=glm-4-flash tokens=88")
    d.add(f"{d.ts()} ERROR app.llm: upstream 400 body="
          f"{J(zb('1214', 'Invalid temperature parameter. Please check the documentation'), spaced=True)}",
          X("1214", 400))
    d.add(f"{d.ts()} ERROR app.llm: upstream 500 body={J(zb('500', '内部错误'))}",
          X("500", 500, at='"code":"500"'))
    d.add(f"{d.ts()} INFO app.worker: job 77812 done in 3.2s")
    d.add(f"{d.ts()} ERROR app.llm: upstream 429 body={J(zb('429', '接口请求并发超额'))}",
          X("429", 429, at='"code":"429"'))
    d.add(f"{d.ts()} ERROR app.llm: upstream 400 body={J(zb('1399', '请求被拒绝，请稍后重试'))}",
          X("1399", 400, known=False))
    d.add(f"{d.ts()} ERROR app.llm: upstream 429 url={ZAI_URL} body="
          f"{J(zb('1308', '已达到 5 小时 的使用上限。您的限额将在 2026-11-02 15:00:00 重置'))}",
          X("1308", 429))
    d.add(f"{d.ts()} ERROR app.llm: upstream 400 body={J(zb('1211', '模型不存在，请检查模型代码'))}",
          X("1211", 400))
    d.add(f"{d.ts()} INFO app.web: POST /api/v1/assist 200 45ms")
    return d


def zhipu_json_escaped():
    d = Doc("zhipu", "json-escaped", 102, clock="iso")
    L = lambda r, ascii=False: J(r, ascii=ascii, spaced=True)
    d.add(L(rec(d.ts(), "info", "app.web", "POST /api/v1/assist 200 640ms")))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(zb("1113", "您的账户已欠费，请充值后重试"), spaced=True),
                provider_url="https://open.bigmodel.cn/api/paas/v4/")),
          X("1113", 429))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=311")))
    # ensure_ascii=True: the Chinese message arrives as \\uXXXX escapes.
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 401 - " + J(zb("1003", "Authentication Token 已过期，请重新生成/获取"))),
            ascii=True),
          X("1003", 401))
    # Nested two levels: a log shipper's record whose `log` field is the app's JSON record.
    inner = rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(zb("1303", "High frequency usage of this API, please reduce "
                                                 "frequency or contact customer service to increase limits")))
    d.add(L({"time": d.ts(), "stream": "stderr", "kubernetes": {"pod_name": "chat-svc-7d9f8-x2kq1"},
             "log": J(inner, spaced=True)}),
          X("1303", 429))
    d.add(L(rec(d.ts(), "info", "app.web", "GET /healthz 200 1ms")))
    d.add(L(rec(d.ts(), "error", "app.llm", "upstream rejected request", status=400,
                response=zb("1210", "API 调用参数有误，请检查文档"))),
          X("1210", 400))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(zb("429", "账户余额已用完")))),
          X("429", 429, at='\\"code\\":\\"429\\"'))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 400, with error text " + J(zb("1399", "请求被拒绝，请稍后重试")))),
          X("1399", 400, known=False))
    d.add(L(rec(d.ts(), "warning", "app.llm", "llm call failed",
                err="Error code: 500 - {'error': {'code': '500', 'message': 'Internal Error'}}")),
          X("500", 500, at="'code': '500'"))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=96")))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(zb("1309", "Your GLM Coding Plan package has expired and is "
                                                 "temporarily unavailable. You can resume using it after renewing "
                                                 "the subscription on the official website. https://z.ai/subscribe")),
                provider_url="https://api.z.ai/api/paas/v4/")),
          X("1309", 429))
    d.add(L(rec(d.ts(), "info", "app.web", "POST /api/v1/assist 200 38ms")))
    return d


def zhipu_logfmt():
    d = Doc("zhipu", "logfmt", 103, clock="iso")
    d.add(f'ts={d.ts()} level=info caller=server/http.go:212 msg="request done" method=POST path=/v1/assist status=200 dur=731ms')
    d.add(f'ts={d.ts()} level=error caller=llm/zhipu.go:88 provider=zhipu code=1113 status=429 msg="余额不足或无可用资源包,请充值。"',
          X("1113", 429))
    d.add(f'ts={d.ts()} level=info caller=llm/zhipu.go:61 msg="chat ok" model=glm-4-plus tokens=512')
    d.add(f'ts={d.ts()} level=error caller=llm/zhipu.go:95 msg="chat completion failed" status=429 '
          f'body={J(zb("1302", "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits"))} '
          f'url={ZHIPU_URL}',
          X("1302", 429))
    d.add(f'{d.ts("java")}  WARN 1 --- [nio-8080-exec-3] c.e.llm.ZhipuClient                      : '
          f'status=401 body={J(zb("1001", "Header 中未收到 Authentication 参数，无法进行身份验证"))} url={ZHIPU_URL}',
          X("1001", 401))
    d.add(f'ts={d.ts()} level=warn caller=llm/zhipu.go:88 provider=zhipu code="1211" status=400 msg="模型不存在，请检查模型代码" model=glm-5-ultra',
          X("1211", 400))
    d.add(f'ts={d.ts()} level=info caller=llm/retry.go:40 msg="retry scheduled" attempt=2 backoff=2s')
    d.add(f'ts={d.ts()} level=error caller=llm/zhipu.go:88 provider=zhipu code=1399 status=400 msg="请求被拒绝，请稍后重试"',
          X("1399", 400, known=False))
    d.add(f'ts={d.ts()} level=error caller=llm/zhipu.go:88 provider=zhipu status=500 code=500 msg="Internal Error" url={ZAI_URL}',
          X("500", 500, at="code=500"))
    d.add(f'ts={d.ts()} level=error caller=llm/zhipu.go:88 provider=zhipu code=1304 status=429 msg="该API已达今日调用次数限额，如有更多需求，请联系客服购买"',
          X("1304", 429))
    d.add(f'ts={d.ts()} level=info caller=cache/lru.go:77 msg="cache stats" hits=1204 misses=88')
    return d


def zhipu_pretty():
    d = Doc("zhipu", "pretty", 104, clock="plain")
    d.add(f"{d.ts()} INFO  [app.llm] calling glm-4-plus stream=false")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ZHIPU_URL} returned 429, response body: {{\n"
          '  "error": {\n'
          '    "code": "1113",\n'
          '    "message": "余额不足或无可用资源包,请充值。"\n'
          "  }\n"
          "}",
          X("1113", 429))
    d.add(f"{d.ts()} INFO  [app.web] GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ZHIPU_URL} returned 400, response body: {{\n"
          '  "error": {\n'
          '    "message": "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合",\n'
          '    "code": "1301"\n'
          "  }\n"
          "}",
          X("1301", 400))
    d.add(f"{d.ts()} ERROR [app.llm] POST {ZAI_URL} returned 401, response body: {{\n"
          '    "error": {\n'
          '        "code": "1000",\n'
          '        "message": "Authentication Failed"\n'
          "    }\n"
          "}",
          X("1000", 401))
    d.add(f"{d.ts()} INFO  [app.llm] chat ok model=glm-4-flash tokens=55")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ZHIPU_URL} returned 400, response body: {{\n"
          '  "error": {\n'
          '    "code": "1399",\n'
          '    "message": "请求被拒绝，请稍后重试"\n'
          "  }\n"
          "}",
          X("1399", 400, known=False))
    return d


def zhipu_sse():
    d = Doc("zhipu", "sse", 105)
    ep = d.epoch()
    chunk = lambda text: J({"id": "2026110210000" + d.hexs(8), "created": ep, "model": "glm-4-plus",
                            "choices": [{"index": 0, "delta": {"role": "assistant", "content": text}}]})
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('你好')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('，我是')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: "
          f"{J(zb('1301', '系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合'))}",
          X("1301", None))
    d.add(f"{d.ts()} DEBUG app.stream: data: [DONE]")
    d.add(f"{d.ts()} INFO app.llm: stream closed chunks=3")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} WARNING app.stream: stream aborted, raw events follow")
    d.add(f"data: {chunk('好的')}")
    d.add("")
    d.add(f"data: {J(zb('1234', '网络错误，错误id：20261102100012' + d.hexs(6) + '，请联系客服'))}",
          X("1234", None))
    d.add("")
    d.add("data: [DONE]")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZAI_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('Sure')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: {J(zb('1230', 'API call process error'))}",
          X("1230", None))
    d.add(f"{d.ts()} INFO app.web: POST /api/v1/assist/stream 200 2210ms")
    return d


def zhipu_status_only():
    d = Doc("zhipu", "status-only", 106)
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 429 Too Many Requests"',
          X("429", 429, at="429 Too Many"))
    d.add(f"{d.ts()} WARNING app.llm: request failed, retrying in 2s")
    d.add(f"{d.ts()} ERROR app.llm: status_code=401 url={ZHIPU_URL} method=POST latency_ms=38",
          X("401", 401, at="status_code=401"))
    d.add(f'{d.ts()} INFO httpx: HTTP Request: GET https://api.github.com/repos/acme/bot/releases "HTTP/1.1 429 Too Many Requests"')
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/files "HTTP/1.1 434 "',
          X("434", 434, at="HTTP/1.1 434"))
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZAI_URL} "HTTP/1.1 500 Internal Server Error"',
          X("500", 500, at="HTTP/1.1 500"))
    d.add(f"{d.ts()} INFO app.web: GET /healthz 200 1ms")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/files "HTTP/1.1 435 "',
          X("435", 435, at="HTTP/1.1 435"))
    d.add(f"{d.ts('go')} POST https://open.bigmodel.cn/api/paas/v4/fine_tuning/jobs/ftjob-20261102-8812 -> 404 Not Found (212ms)",
          X("404", 404, at="404 Not Found"))
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} INFO app.llm: chat ok model=glm-4-plus tokens=233")
    d.add(f"{d.ts()} ERROR app.llm: status_code=400 url={ZHIPU_URL} method=POST latency_ms=12",
          X("400", 400, at="status_code=400"))
    # 503 is not in BigModel's HTTP table: a real provider error whose status is undocumented.
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 503 Service Unavailable"',
          X("503", 503, known=False, at="HTTP/1.1 503"))
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ZHIPU_URL} "HTTP/1.1 200 OK"')
    return d


# ============================================================================= ppio

def ppio_raw():
    d = Doc("ppio", "raw", 201)
    d.add(f"{d.ts()} INFO app.web: POST /v1/chat 200 1022ms")
    d.add(f"{d.ts()} INFO app.llm: chat ok model=deepseek/deepseek-v3 tokens=640")
    d.add(f"{d.ts()} ERROR app.llm: upstream 429 body={J(pb(429, 'RATE_LIMIT_EXCEEDED', '请求过快，请稍后重试'))}",
          X("RATE_LIMIT_EXCEEDED", 429))
    d.add(f"{d.ts()} ERROR app.llm: upstream 403 body={J(pb(403, 'NOT_ENOUGH_BALANCE', '余额不足'))}",
          X("NOT_ENOUGH_BALANCE", 403))
    d.add(f"{d.ts()} INFO app.web: GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR app.llm: upstream 401 url={PPIO_URL} body={J(pb(401, 'FAILED_TO_AUTH', '认证失败'), spaced=True)}",
          X("FAILED_TO_AUTH", 401))
    d.add(f"{d.ts()} ERROR app.llm: upstream 404 body={J(pb(404, 'MODEL_NOT_FOUND', '模型不存在'))} model=qwen/qwen9-max",
          X("MODEL_NOT_FOUND", 404))
    d.add(f"{d.ts()} INFO app.worker: image job 5521 queued")
    d.add(f"{d.ts()} ERROR app.img: upstream 400 url={PPIO_IMG} body={J(pb(400, 'ILLEGAL_PROMPT', 'Prompt 含不适宜内容'))}",
          X("ILLEGAL_PROMPT", 400))
    d.add(f"{d.ts()} ERROR app.llm: upstream 400 body={J(pb(400, 'SOME_NEW_REASON', '请求暂不支持'))}",
          X("SOME_NEW_REASON", 400, known=False))
    d.add(f"{d.ts()} ERROR app.llm: upstream 503 body={J(pb(503, 'SERVICE_NOT_AVAILABLE', '服务不可用'))}",
          X("SERVICE_NOT_AVAILABLE", 503))
    d.add(f"{d.ts()} INFO app.llm: chat ok model=deepseek/deepseek-r1 tokens=1288")
    return d


def ppio_json_escaped():
    d = Doc("ppio", "json-escaped", 202, clock="iso")
    L = lambda r, ascii=False: J(r, ascii=ascii, spaced=True)
    d.add(L(rec(d.ts(), "info", "app.web", "POST /v1/chat 200 880ms")))
    # openai 1.x style: the body as a Python dict repr inside the error text.
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - {'code': 429, 'reason': 'RATE_LIMIT_EXCEEDED', 'message': '请求过快，请稍后重试', 'metadata': {}}",
                base_url="https://api.ppinfra.com/v3/openai")),
          X("RATE_LIMIT_EXCEEDED", 429))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 403 - " + J(pb(403, "ACCESS_DENY", "无权限访问"))), ascii=True),
          X("ACCESS_DENY", 403))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=210")))
    inner = rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(pb(429, "TOKEN_LIMIT_EXCEEDED", "Token 数超限，请稍后重试")))
    d.add(L({"time": d.ts(), "stream": "stderr", "kubernetes": {"pod_name": "agent-api-5c7b9-l8m2d"},
             "log": J(inner, spaced=True)}),
          X("TOKEN_LIMIT_EXCEEDED", 429))
    d.add(L(rec(d.ts(), "error", "app.llm", "upstream rejected request", status=400,
                response=pb(400, "INVALID_REQUEST_BODY", "messages: field required"))),
          X("INVALID_REQUEST_BODY", 400))
    d.add(L(rec(d.ts(), "info", "app.web", "GET /healthz 200 1ms")))
    d.add(L(rec(d.ts(), "error", "app.img", "txt2img failed",
                err="Error code: 400 - " + J(pb(400, "BILLING_BALANCE_NOT_ENOUGH", "余额不足")), url=PPIO_IMG)),
          X("BILLING_BALANCE_NOT_ENOUGH", 400))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 400 - " + J(pb(400, "SOME_NEW_REASON", "请求暂不支持")))),
          X("SOME_NEW_REASON", 400, known=False))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=77")))
    return d


def ppio_logfmt():
    d = Doc("ppio", "logfmt", 203, clock="iso")
    d.add(f'ts={d.ts()} level=info caller=api/chat.go:54 msg="request done" status=200 dur=1.2s')
    d.add(f'ts={d.ts()} level=error caller=llm/ppio.go:120 provider=ppio status=429 reason=RATE_LIMIT_EXCEEDED msg="请求过快，请稍后重试"',
          X("RATE_LIMIT_EXCEEDED", 429))
    d.add(f'ts={d.ts()} level=error caller=llm/ppio.go:131 msg="chat completion failed" status=403 '
          f'body={J(pb(403, "NOT_ENOUGH_BALANCE", "余额不足"))} url={PPIO_URL}',
          X("NOT_ENOUGH_BALANCE", 403))
    d.add(f'ts={d.ts()} level=info caller=llm/ppio.go:88 msg="chat ok" model=deepseek/deepseek-v3 tokens=402')
    d.add(f'{d.ts("java")} ERROR 1 --- [pool-2-thread-7] c.e.ai.PpioClient                        : '
          f'status=401 body={J(pb(401, "FAILED_TO_AUTH", "认证失败"))} url={PPIO_URL}',
          X("FAILED_TO_AUTH", 401))
    d.add(f'ts={d.ts()} level=warn caller=llm/ppio.go:120 provider=ppio status=400 reason=SOME_NEW_REASON msg="请求暂不支持"',
          X("SOME_NEW_REASON", 400, known=False))
    d.add(f'ts={d.ts()} level=info caller=llm/retry.go:40 msg="retry scheduled" attempt=2 backoff=4s')
    d.add(f'ts={d.ts()} level=error caller=llm/ppio.go:120 provider=ppio status=404 reason=MODEL_NOT_FOUND msg="模型不存在" model=qwen/qwen9-max',
          X("MODEL_NOT_FOUND", 404))
    d.add(f'ts={d.ts()} level=error caller=billing/ppio.go:33 provider=ppio status=429 reason=LIST_BILL_TOO_FAST msg="请求过于频繁，请稍后重试" url=https://api.ppinfra.com/v3/billing/bills',
          X("LIST_BILL_TOO_FAST", 429))
    d.add(f'ts={d.ts()} level=info caller=cache/lru.go:77 msg="cache stats" hits=311 misses=9')
    return d


def ppio_pretty():
    d = Doc("ppio", "pretty", 204, clock="plain")
    d.add(f"{d.ts()} INFO  [app.llm] calling deepseek/deepseek-v3 stream=false")
    d.add(f"{d.ts()} ERROR [app.llm] POST {PPIO_URL} returned 429, response body: {{\n"
          '  "code": 429,\n'
          '  "reason": "RATE_LIMIT_EXCEEDED",\n'
          '  "message": "请求过快，请稍后重试",\n'
          '  "metadata": {}\n'
          "}",
          X("RATE_LIMIT_EXCEEDED", 429))
    d.add(f"{d.ts()} INFO  [app.web] GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR [app.llm] POST {PPIO_URL} returned 403, response body: {{\n"
          '    "code": 403,\n'
          '    "reason": "INVALID_API_KEY",\n'
          '    "message": "未提供 API Key",\n'
          '    "metadata": {}\n'
          "}",
          X("INVALID_API_KEY", 403))
    d.add(f"{d.ts()} INFO  [app.llm] chat ok tokens=190")
    d.add(f"{d.ts()} ERROR [app.img] POST {PPIO_IMG} returned 400, response body: {{\n"
          '  "code": 400,\n'
          '  "reason": "SOME_NEW_REASON",\n'
          '  "message": "请求暂不支持",\n'
          '  "metadata": {\n'
          '    "field": "width"\n'
          "  }\n"
          "}",
          X("SOME_NEW_REASON", 400, known=False))
    d.add(f"{d.ts()} INFO  [app.llm] chat ok tokens=64")
    return d


def ppio_sse():
    d = Doc("ppio", "sse", 205)
    ep = d.epoch()
    chunk = lambda text: J({"id": "chatcmpl-" + d.hexs(12), "object": "chat.completion.chunk", "created": ep,
                            "model": "deepseek/deepseek-v3",
                            "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]})
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {PPIO_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('Hello')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk(' there')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: {J(pb(503, 'SERVICE_NOT_AVAILABLE', '服务不可用'))}",
          X("SERVICE_NOT_AVAILABLE", 503))
    d.add(f"{d.ts()} INFO app.llm: stream closed chunks=2")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {PPIO_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} WARNING app.stream: stream aborted, raw events follow")
    d.add(f"data: {chunk('好的')}")
    d.add("")
    d.add(f"data: {J(pb(429, 'TOKEN_LIMIT_EXCEEDED', 'Token 数超限，请稍后重试'))}",
          X("TOKEN_LIMIT_EXCEEDED", 429))
    d.add("")
    d.add("data: [DONE]")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {PPIO_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('Sure')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: {J(pb(429, 'RATE_LIMIT_EXCEEDED', '请求过快，请稍后重试'))}",
          X("RATE_LIMIT_EXCEEDED", 429))
    d.add(f"{d.ts()} INFO app.web: POST /v1/chat/stream 200 3120ms")
    return d


# ============================================================================= coze

def coze_raw():
    d = Doc("coze", "raw", 301)
    d.add(f"{d.ts()} INFO app.web: POST /bot/ask 200 1530ms")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {COZE_CN}?conversation_id= "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} ERROR app.bot: coze chat failed status=200 body={J(cb(d, 4011, '当前账户的 Coze Token 余额不足'))}",
          X("4011", None))
    d.add(f"{d.ts()} INFO app.bot: chat ok bot_id=7434119087212781612 tokens=301")
    d.add(f"{d.ts()} ERROR app.bot: coze chat failed status=200 body={J(cb(d, 4100, '身份验证无效'))}",
          X("4100", None))
    d.add(f"{d.ts()} ERROR app.bot: coze chat failed url={COZE_COM} body={J({'code': 700012006, 'msg': 'access token invalid'})}",
          X("700012006", None, known=False))
    d.add(f"{d.ts()} INFO app.web: GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR app.bot: coze chat failed status=200 body={J(cb(d, 4015, 'bot 未发布到API'), spaced=True)}",
          X("4015", None))
    d.add(f"{d.ts()} WARNING app.bot: coze chat failed status=200 body={J(cb(d, 4008, '用户限流'))}",
          X("4008", None))
    d.add(f"{d.ts()} ERROR app.wf: workflow run failed url={COZE_WF} body={J(cb(d, 5000, '服务器内部错误'))}",
          X("5000", None))
    d.add(f"{d.ts()} INFO app.bot: chat ok bot_id=7434119087212781612 tokens=88")
    return d


def coze_json_escaped():
    d = Doc("coze", "json-escaped", 302, clock="iso")
    L = lambda r, ascii=False: J(r, ascii=ascii, spaced=True)
    d.add(L(rec(d.ts(), "info", "app.web", "POST /bot/ask 200 1180ms")))
    # A successful Coze response (code 0) logged escaped: not an error.
    d.add(L(rec(d.ts(), "debug", "app.bot", "coze response",
                body=J({"code": 0, "msg": "", "data": {"id": "7434" + d.hexs(8), "status": "in_progress"}}))))
    d.add(L(rec(d.ts(), "error", "app.bot", "coze call failed",
                err="coze api error: " + J(cb(d, 4011, "当前账户的 Coze Token 余额不足")))),
          X("4011", None))
    d.add(L(rec(d.ts(), "error", "app.bot", "coze call failed",
                err="coze api error: " + J(cb(d, 4101, "没有权限访问该资源"))), ascii=True),
          X("4101", None))
    d.add(L(rec(d.ts(), "info", "app.bot", "chat ok tokens=455")))
    inner = rec(d.ts(), "error", "app.bot", "coze call failed",
                err="coze api error: " + J(cb(d, 4009, "已达系统请求上限，请稍后重试")))
    d.add(L({"time": d.ts(), "stream": "stderr", "kubernetes": {"pod_name": "bot-gw-6f5d4-q9w7e"},
             "log": J(inner, spaced=True)}),
          X("4009", None))
    d.add(L(rec(d.ts(), "error", "app.wf", "workflow run failed", url=COZE_WF,
                response=cb(d, 4314, "未找到执行记录"))),
          X("4314", None))
    d.add(L(rec(d.ts(), "error", "app.bot", "coze call failed",
                err="coze api error: " + J({"code": 700012006, "msg": "access token invalid"}))),
          X("700012006", None, known=False))
    d.add(L(rec(d.ts(), "info", "app.web", "GET /healthz 200 1ms")))
    return d


def coze_logfmt():
    d = Doc("coze", "logfmt", 303, clock="iso")
    d.add(f'ts={d.ts()} level=info caller=api/bot.go:41 msg="request done" status=200 dur=980ms')
    d.add(f'ts={d.ts()} level=error caller=coze/client.go:77 provider=coze code=4011 msg="当前账户的 Coze Token 余额不足" logid={d.logid()}',
          X("4011", None))
    d.add(f'ts={d.ts()} level=info caller=coze/client.go:60 msg="chat ok" bot_id=7434119087212781612 tokens=233')
    d.add(f'ts={d.ts()} level=error caller=coze/client.go:90 msg="workflow run failed" status=200 '
          f'body={J(cb(d, 4101, "没有权限访问该资源"))} url={COZE_WF}',
          X("4101", None))
    d.add(f'{d.ts("java")}  WARN 1 --- [nio-8081-exec-9] c.e.bot.CozeClient                       : '
          f'status=200 body={J(cb(d, 4016, "当前会话已有chat在运行"))} url={COZE_CN}',
          X("4016", None))
    d.add(f'ts={d.ts()} level=error caller=coze/client.go:77 provider=coze code=700012006 msg="access token invalid"',
          X("700012006", None, known=False))
    d.add(f'ts={d.ts()} level=info caller=coze/retry.go:22 msg="retry scheduled" attempt=2 backoff=1s')
    d.add(f'ts={d.ts()} level=warn caller=coze/client.go:77 provider=coze code=4010 msg="当前问题请求的 prompt token 数量超过模型上限" logid={d.logid()}',
          X("4010", None))
    d.add(f'ts={d.ts()} level=info caller=cache/lru.go:77 msg="cache stats" hits=97 misses=3')
    return d


def coze_pretty():
    d = Doc("coze", "pretty", 304, clock="plain")
    d.add(f"{d.ts()} INFO  [app.bot] calling bot 7434119087212781612 stream=false")
    d.add(f"{d.ts()} ERROR [app.bot] POST {COZE_CN} failed, response body: {{\n"
          '  "code": 4009,\n'
          '  "msg": "已达系统请求上限，请稍后重试",\n'
          '  "detail": {\n'
          f'    "logid": "{d.logid()}"\n'
          "  }\n"
          "}",
          X("4009", None))
    d.add(f"{d.ts()} INFO  [app.web] GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR [app.bot] POST {COZE_COM} failed, response body: {{\n"
          '  "msg": "invalid bot（包括bot id错误，bot 找不到）",\n'
          '  "code": 4006\n'
          "}",
          X("4006", None))
    d.add(f"{d.ts()} INFO  [app.bot] chat ok tokens=140")
    d.add(f"{d.ts()} ERROR [app.bot] POST {COZE_CN} failed, response body: {{\n"
          '    "code": 700012006,\n'
          '    "msg": "access token invalid"\n'
          "}",
          X("700012006", None, known=False))
    return d


def coze_sse():
    d = Doc("coze", "sse", 305)
    chat_id = "7434" + d.hexs(8)
    conv_id = "7434" + d.hexs(8)
    ok = J({"id": chat_id, "conversation_id": conv_id, "bot_id": "7434119087212781612", "status": "in_progress",
            "last_error": {"code": 0, "msg": ""}})
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {COZE_CN}?conversation_id= "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: event: conversation.chat.created")
    d.add(f"{d.ts()} DEBUG app.stream: data: {ok}")
    d.add(f"{d.ts()} DEBUG app.stream: event: error")
    d.add(f"{d.ts()} DEBUG app.stream: data: {J({'code': 4011, 'msg': '当前账户的 Coze Token 余额不足'})}",
          X("4011", None))
    d.add(f"{d.ts()} INFO app.bot: stream closed")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {COZE_COM}?conversation_id= "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} WARNING app.stream: stream aborted, raw events follow")
    d.add("event:conversation.chat.created")
    d.add(f"data:{ok}")
    d.add("")
    d.add("event:error")
    d.add(f"data:{J({'code': 4020, 'msg': '火山Bot调用超出RPM峰值'})}", X("4020", None))
    d.add("")
    d.add("event: error")
    d.add(f"data: {J({'code': 4027, 'msg': '插件调用失败，请稍后重试'})}", X("4027", None, known=False))
    d.add("")
    # Coze also reports a failed chat as a chat object whose last_error carries the code.
    d.add("event:conversation.chat.failed")
    d.add(f"data:{J({'id': chat_id, 'conversation_id': conv_id, 'bot_id': '7434119087212781612', 'status': 'failed', 'last_error': {'code': 4013, 'msg': '模型错误'}})}",
          X("4013", None))
    d.add("")
    d.add("event:done")
    d.add('data:"[DONE]"')
    d.add(f"{d.ts()} INFO app.web: POST /bot/ask/stream 200 4210ms")
    return d


# ============================================================================= volcengine

def vol_raw():
    d = Doc("volcengine", "raw", 401, clock="java")
    P = "[ark-worker-2] ERROR c.e.llm.ArkGateway -"
    d.add(f"{d.ts()} [main] INFO  c.e.web.Access - POST /ai/complete 200 933ms")
    d.add(f"{d.ts()} {P} upstream 429 body=" + J(ab(d, "RateLimitExceeded.EndpointRPMExceeded",
          "The Requests Per Minute (RPM) limit of the associated endpoint for your account has been exceeded. "
          f"Request ID: {d.ark_id()}", "TooManyRequests")),
          X("RateLimitExceeded.EndpointRPMExceeded", 429))
    d.add(f"{d.ts()} [main] INFO  c.e.llm.ArkGateway - chat ok model=doubao-1.5-pro-32k tokens=402")
    d.add(f"{d.ts()} {P} upstream 403 body=" + J(ab(d, "AccountOverdueError",
          f"The request failed because your account has an overdue balance. Request ID: {d.ark_id()}", "Forbidden")),
          X("AccountOverdueError", 403))
    d.add(f"{d.ts()} {P} upstream 400 body=" + J(ab(d, "InvalidParameter.temperature",
          "The specified parameter temperature is invalid.", "BadRequest", param="temperature")),
          X("InvalidParameter.temperature", 400))
    d.add(f"{d.ts()} [main] INFO  c.e.web.Access - GET /healthz 200 1ms")
    d.add(f"{d.ts()} {P} upstream 404 url={ARK_URL} body=" + J(ab(d, "ModelNotOpen",
          "Your account 2100554321 has not activated the model doubao-seed-1.6. Please activate the model service in the Ark Console.",
          "NotFound"), spaced=True),
          X("ModelNotOpen", 404))
    d.add(f"{d.ts()} {P} upstream 429 body=" + J(ab(d, "ModelAccountIpmRateLimitExceeded",
          f"IPM (Images Per Minute) limit of the model is exceeded. Request ID: {d.ark_id()}", "TooManyRequests")),
          X("ModelAccountIpmRateLimitExceeded", 429, known=False))
    d.add(f"{d.ts()} {P} upstream 500 body=" + J(ab(d, "InternalServiceError",
          f"The service encountered an unexpected internal error. Please retry later. Request ID: {d.ark_id()}",
          "InternalServerError")),
          X("InternalServiceError", 500))
    d.add(f"{d.ts()} [main] INFO  c.e.llm.ArkGateway - chat ok model=doubao-1.5-lite-32k tokens=77")
    return d


def vol_json_escaped():
    d = Doc("volcengine", "json-escaped", 402, clock="iso")
    L = lambda r, ascii=False: J(r, ascii=ascii, spaced=True)
    d.add(L(rec(d.ts(), "info", "app.web", "POST /ai/complete 200 702ms")))
    body = J(ab(d, "ServerOverloaded", "The service is currently unable to handle additional requests due to server "
                f"overload. Please retry later. Request ID: {d.ark_id()}", "TooManyRequests"))
    # The same body in `msg` and in `err` of one record: one error.
    d.add(L(rec(d.ts(), "error", "app.llm", "ark call failed: " + body, err="Error code: 429 - " + body)),
          X("ServerOverloaded", 429))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=512")))
    # volcenginesdkarkruntime style: Python dict repr plus the client's request_id.
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 401 - {'error': {'code': 'AuthenticationError', 'message': 'The API key or AK/SK in "
                    f"the request is missing or invalid. Request ID: {d.ark_id()}', 'param': '', 'type': 'Unauthorized'}}}}, "
                    f"request_id: 20261102100004{d.hexs(20)}")),
          X("AuthenticationError", 401))
    inner = rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 429 - " + J(ab(d, "RateLimitExceeded.EndpointTPMExceeded",
                    "The Tokens Per Minute (TPM) limit of the associated endpoint for your account has been exceeded. "
                    f"Request ID: {d.ark_id()}", "TooManyRequests")))
    d.add(L({"time": d.ts(), "stream": "stderr", "kubernetes": {"pod_name": "ark-proxy-74c6d-zt5pn"},
             "log": J(inner, spaced=True)}),
          X("RateLimitExceeded.EndpointTPMExceeded", 429))
    d.add(L(rec(d.ts(), "info", "app.web", "GET /healthz 200 1ms")))
    d.add(L(rec(d.ts(), "error", "app.llm", "upstream rejected request", status=404,
                response=ab(d, "InvalidEndpointOrModel.NotFound",
                            "The model or endpoint ep-20261101172105-x7k2p does not exist or you do not have access to it.",
                            "NotFound"))),
          X("InvalidEndpointOrModel.NotFound", 404))
    d.add(L(rec(d.ts(), "error", "app.llm", "llm call failed",
                err="Error code: 400 - " + J(ab(d, "MissingParameter.messages",
                                                "The required parameter messages is missing.", "BadRequest",
                                                param="messages")))),
          X("MissingParameter.messages", 400))
    d.add(L(rec(d.ts(), "error", "app.img", "image generation failed",
                err="Error code: 429 - " + J(ab(d, "ModelAccountIpmRateLimitExceeded",
                    f"IPM (Images Per Minute) limit of the model is exceeded. Request ID: {d.ark_id()}",
                    "TooManyRequests")))),
          X("ModelAccountIpmRateLimitExceeded", 429, known=False))
    d.add(L(rec(d.ts(), "info", "app.llm", "chat ok tokens=93")))
    return d


def vol_logfmt():
    d = Doc("volcengine", "logfmt", 403, clock="iso")
    d.add(f'ts={d.ts()} level=info caller=api/complete.go:63 msg="request done" status=200 dur=640ms')
    d.add(f'ts={d.ts()} level=error caller=llm/ark.go:141 provider=volcengine status=429 '
          f'code=RateLimitExceeded.EndpointTPMExceeded type=TooManyRequests '
          f'msg="The Tokens Per Minute (TPM) limit of the associated endpoint for your account has been exceeded. Request ID: {d.ark_id()}"',
          X("RateLimitExceeded.EndpointTPMExceeded", 429))
    d.add(f'ts={d.ts()} level=error caller=llm/ark.go:150 msg="chat completion failed" status=404 '
          f'body={J(ab(d, "InvalidEndpointOrModel.NotFound", "The model or endpoint ep-20261101172105-x7k2p does not exist or you do not have access to it.", "NotFound"))} '
          f'url={ARK_URL}',
          X("InvalidEndpointOrModel.NotFound", 404))
    d.add(f'ts={d.ts()} level=info caller=llm/ark.go:98 msg="chat ok" model=doubao-1.5-pro-32k tokens=388')
    d.add(f'{d.ts("java")}  WARN 1 --- [nio-8082-exec-1] c.e.llm.ArkClient                        : '
          f'status=400 body={J(ab(d, "SensitiveContentDetected.SevereViolation", "The request failed because the input text may contain severe violation information.", "BadRequest"))} '
          f'url={ARK_URL}',
          X("SensitiveContentDetected.SevereViolation", 400))
    d.add(f'ts={d.ts()} level=warn caller=llm/ark.go:141 provider=volcengine status=400 code=InvalidParameter.temperature '
          f'type=BadRequest param=temperature msg="The specified parameter temperature is invalid."',
          X("InvalidParameter.temperature", 400))
    d.add(f'ts={d.ts()} level=info caller=llm/retry.go:40 msg="retry scheduled" attempt=2 backoff=3s')
    d.add(f'ts={d.ts()} level=error caller=llm/ark.go:141 provider=volcengine status=429 code=QuotaExceeded type=TooManyRequests '
          f'msg="Your account [2100554321] has exhausted its free trial quota for the [doubao-1.5-pro-32k] model. Request ID: {d.ark_id()}"',
          X("QuotaExceeded", 429))
    d.add(f'ts={d.ts()} level=info caller=cache/lru.go:77 msg="cache stats" hits=640 misses=31')
    return d


def vol_pretty():
    d = Doc("volcengine", "pretty", 404, clock="plain")
    d.add(f"{d.ts()} INFO  [app.llm] calling doubao-1.5-pro-32k stream=false")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ARK_URL} returned 429, response body: {{\n"
          '  "error": {\n'
          '    "code": "ModelAccountTpmRateLimitExceeded",\n'
          f'    "message": "TPM (Tokens Per Minute) limit of the model is exceeded. Request ID: {d.ark_id()}",\n'
          '    "param": "",\n'
          '    "type": "TooManyRequests"\n'
          "  }\n"
          "}",
          X("ModelAccountTpmRateLimitExceeded", 429))
    d.add(f"{d.ts()} INFO  [app.web] GET /healthz 200 1ms")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ARK_URL} returned 403, response body: {{\n"
          '  "error": {\n'
          f'    "message": "The request failed because you do not have access to the requested resource. Request ID: {d.ark_id()}",\n'
          '    "type": "Forbidden",\n'
          '    "param": "",\n'
          '    "code": "AccessDenied"\n'
          "  }\n"
          "}",
          X("AccessDenied", 403))
    d.add(f"{d.ts()} INFO  [app.llm] chat ok tokens=201")
    d.add(f"{d.ts()} ERROR [app.llm] POST {ARK_URL} returned 400, response body: {{\n"
          '    "error": {\n'
          '        "code": "InvalidParameter.temperature",\n'
          '        "message": "The specified parameter temperature is invalid.",\n'
          '        "param": "temperature",\n'
          '        "type": "BadRequest"\n'
          "    }\n"
          "}",
          X("InvalidParameter.temperature", 400))
    return d


def vol_sse():
    d = Doc("volcengine", "sse", 405)
    ep = d.epoch()
    chunk = lambda text: J({"choices": [{"delta": {"content": text, "role": "assistant"}, "index": 0}],
                            "created": ep, "id": "0217" + d.hexs(20), "model": "doubao-1-5-pro-32k-250115",
                            "object": "chat.completion.chunk"})
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('你好')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: " + J(ab(d, "InternalServiceError",
          f"The service encountered an unexpected internal error. Please retry later. Request ID: {d.ark_id()}",
          "InternalServerError")),
          X("InternalServiceError", 500))
    d.add(f"{d.ts()} INFO app.llm: stream closed chunks=1")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} WARNING app.stream: stream aborted, raw events follow")
    d.add(f"data: {chunk('从前')}")
    d.add("")
    d.add("data: " + J(ab(d, "SensitiveContentDetected.SevereViolation",
          "The request failed because the input text may contain severe violation information.", "BadRequest")),
          X("SensitiveContentDetected.SevereViolation", 400))
    d.add("")
    d.add("data: [DONE]")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} DEBUG app.stream: data: {chunk('Once')}")
    d.add(f"{d.ts()} DEBUG app.stream: data: " + J(ab(d, "InternalError",
          "The request has failed due to an unknown error.", "InternalServerError")),
          X("InternalError", 500))
    d.add(f"{d.ts()} INFO app.web: POST /ai/complete/stream 200 1880ms")
    return d


def vol_status_only():
    d = Doc("volcengine", "status-only", 406)
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} INFO app.llm: chat ok model=doubao-1.5-pro-32k tokens=231")
    # Ark documents HTTP 401 only as AuthenticationError.
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 401 Unauthorized"',
          X("AuthenticationError", 401, at="HTTP/1.1 401"))
    d.add(f"{d.ts()} WARNING app.llm: request failed, not retrying")
    d.add(f'{d.ts()} INFO httpx: HTTP Request: POST {ARK_URL} "HTTP/1.1 200 OK"')
    d.add(f"{d.ts()} INFO app.web: GET /healthz 200 1ms")
    return d


ALL = [zhipu_raw, zhipu_json_escaped, zhipu_logfmt, zhipu_pretty, zhipu_sse, zhipu_status_only,
       ppio_raw, ppio_json_escaped, ppio_logfmt, ppio_pretty, ppio_sse,
       coze_raw, coze_json_escaped, coze_logfmt, coze_pretty, coze_sse,
       vol_raw, vol_json_escaped, vol_logfmt, vol_pretty, vol_sse, vol_status_only]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for make in ALL:
        name, lines, errors = make().write()
        print(f"{name}: {lines} lines, {errors} errors")


if __name__ == "__main__":
    main()
