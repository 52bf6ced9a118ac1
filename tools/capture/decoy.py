#!/usr/bin/env python3
"""Capture the decoy fixture: other services' errors that must never count as one of the four.

An application that calls Zhipu, PPIO, Coze and Ark also calls other LLM providers (OpenAI,
DeepSeek, Moonshot, MiniMax, DashScope, Tencent Hunyuan, Anthropic, Gemini, Baidu Qianfan)
and talks to payment, SMS, storage, database and Go micro-services whose error bodies look
like the four's.  Here the real SDKs (openai, dashscope, tencentcloud-sdk-python, anthropic,
google-genai) call those providers' real base URLs, answered by the loopback server of
capture.py with each provider's documented error bodies; the non-LLM services' bodies are
written by this tool, with codes taken from the catalog data so that they collide with the
four's.  Real provider errors (the openai SDK, httpx) are interleaved so that the lines
before a decoy often name a provider.

Beside each log: X.expect.jsonl (the real provider errors only, as in messages.py) and
X.decoys.jsonl (every line of every decoy record: line, service, kind, colliding code).

Usage (see run.sh):  python decoy.py   (in the decoy venv)
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import os
import random
import sys
import threading
import warnings
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import capture as cap  # noqa: E402
import catalog_rows  # noqa: E402
import messages as msg  # noqa: E402  (items, bodies, manifest rows, log styles)

OUT = cap.REPO / "fixtures" / "logs" / "decoy"
STYLES = msg.STYLES
ROUNDS = 24  # real provider calls per file; each followed by one or two decoys


# --------------------------------------------------------------------------
# Other LLM providers, through their real SDKs, answering with documented bodies
# --------------------------------------------------------------------------
@dataclasses.dataclass
class LlmDecoy:
    service: str
    host: str
    status: int
    body: Dict[str, Any]
    call: Callable[["LlmDecoy"], Any]
    headers: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    content_type: str = "application/json; charset=utf-8"


def openai_call(base: str, model: str) -> Callable[[LlmDecoy], Any]:
    def call(d: LlmDecoy) -> Any:
        from openai import OpenAI
        OpenAI(base_url=base, api_key="sk-capture-0000000000000000", max_retries=0).chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hi"}])
    return call


def dashscope_call(d: LlmDecoy) -> Any:
    import dashscope
    from dashscope import Generation
    dashscope.base_http_api_url = "http://dashscope.aliyuncs.com/api/v1"
    resp = Generation.call(model="qwen-plus", api_key="sk-capture-dashscope-000000", messages=[{"role": "user", "content": "hi"}],
                           result_format="message")
    if resp.status_code != 200:  # dashscope returns the error; apps raise or log it themselves
        raise RuntimeError(f"dashscope call failed: {resp}")


def hunyuan_call(d: LlmDecoy) -> Any:
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.hunyuan.v20230901 import hunyuan_client, models
    http = HttpProfile(protocol="http", endpoint="hunyuan.tencentcloudapi.com")
    client = hunyuan_client.HunyuanClient(credential.Credential("AKIDcapture0000000000000000000000", "capture-secret-key"),
                                          "ap-guangzhou", ClientProfile(httpProfile=http))
    req = models.ChatCompletionsRequest()
    req.from_json_string(json.dumps({"Model": "hunyuan-turbos-latest", "Messages": [{"Role": "user", "Content": "hi"}]}))
    client.ChatCompletions(req)


def anthropic_call(d: LlmDecoy) -> Any:
    import anthropic
    anthropic.Anthropic(base_url="http://api.anthropic.com", api_key="sk-ant-capture-0000", max_retries=0).messages.create(
        model="claude-sonnet-4-5", max_tokens=256, messages=[{"role": "user", "content": "hi"}])


def gemini_call(d: LlmDecoy) -> Any:
    from google import genai
    from google.genai import types
    client = genai.Client(api_key="AIzaCapture00000000000000000000000000000",
                          http_options=types.HttpOptions(base_url="http://generativelanguage.googleapis.com"))
    client.models.generate_content(model="gemini-2.5-flash", contents="hi")


def requests_body_call(url: str, what: str) -> Callable[[LlmDecoy], Any]:
    """Services without an SDK here: the app posts with requests and raises with the body."""
    def call(d: LlmDecoy) -> Any:
        import requests
        r = requests.post(url, json={"model": "x", "messages": [{"role": "user", "content": "hi"}]}, timeout=30)
        if r.status_code != 200 or '"error_code"' in r.text or '"status_code":1' in r.text:
            raise RuntimeError(f"{what} returned {r.status_code}: {r.text}")
    return call


def llm_decoys() -> List[LlmDecoy]:
    oa = openai_call("http://api.openai.com/v1", "gpt-4o")
    ds = openai_call("http://api.deepseek.com", "deepseek-chat")
    ms = openai_call("http://api.moonshot.cn/v1", "kimi-k2-0905-preview")
    return [
        # OpenAI's documented error bodies (platform.openai.com/docs/guides/error-codes)
        LlmDecoy("openai", "api.openai.com", 429, {"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}}, oa),
        LlmDecoy("openai", "api.openai.com", 429, {"error": {"message": "Rate limit reached for gpt-4o in organization org-capture000000 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", "type": "requests", "param": None, "code": "rate_limit_exceeded"}}, oa),
        LlmDecoy("openai", "api.openai.com", 404, {"error": {"message": "The model `gpt-4o` does not exist or you do not have access to it.", "type": "invalid_request_error", "param": None, "code": "model_not_found"}}, oa),
        LlmDecoy("openai", "api.openai.com", 401, {"error": {"message": "Incorrect API key provided: sk-captu****0000. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}, oa),
        # DeepSeek (api-docs.deepseek.com/quick_start/error_codes; bodies as in deepwn/addi#13)
        LlmDecoy("deepseek", "api.deepseek.com", 400, {"error": {"message": "Model Not Exist", "type": "invalid_request_error", "param": None, "code": "invalid_request_error"}}, ds),
        LlmDecoy("deepseek", "api.deepseek.com", 402, {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None, "code": "invalid_request_error"}}, ds),
        # Moonshot (platform.moonshot.cn error docs; body as in LLM-Red-Team/kimi-cc#16)
        LlmDecoy("moonshot", "api.moonshot.cn", 429, {"error": {"message": "Your account org-capture<ak-capture> request reached organization max RPM: 3, please try again after 1 seconds", "type": "rate_limit_reached_error"}}, ms),
        LlmDecoy("moonshot", "api.moonshot.cn", 401, {"error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}}, ms),
        # MiniMax answers HTTP 200 with base_resp (platform.minimaxi.com error codes: 1002 rate limit, 1004 auth, 1008 balance)
        LlmDecoy("minimax", "api.minimax.chat", 200, {"id": "", "choices": None, "base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded(RPM)"}}, requests_body_call("http://api.minimax.chat/v1/text/chatcompletion_v2", "minimax")),
        LlmDecoy("minimax", "api.minimax.chat", 200, {"id": "", "choices": None, "base_resp": {"status_code": 1004, "status_msg": "login fail: Please carry the API secret key in the 'Authorization' field of the request header"}}, requests_body_call("http://api.minimax.chat/v1/text/chatcompletion_v2", "minimax")),
        LlmDecoy("minimax", "api.minimax.chat", 200, {"id": "", "choices": None, "base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}}, requests_body_call("http://api.minimax.chat/v1/text/chatcompletion_v2", "minimax")),
        # DashScope (help.aliyun.com error codes; InvalidApiKey body as in liyupi/yu-ai-agent#7)
        LlmDecoy("dashscope", "dashscope.aliyuncs.com", 401, {"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "14b59d9c-353c-9a23-8341-27f304b6eeae"}, dashscope_call),
        LlmDecoy("dashscope", "dashscope.aliyuncs.com", 400, {"code": "InvalidParameter", "message": "Range of input length should be [1, 98304]", "request_id": "7c5a2d4e-1b3f-9a8c-b2e1-0d4f6a8c9e21"}, dashscope_call),
        LlmDecoy("dashscope", "dashscope.aliyuncs.com", 429, {"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded, please try again later.", "request_id": "3e9f1a7b-5c2d-4e8a-9b6f-1d2c3b4a5e6f"}, dashscope_call),
        # Tencent Cloud API 3.0 (cloud.tencent.com/document/api/1729/101843 common error codes)
        LlmDecoy("hunyuan", "hunyuan.tencentcloudapi.com", 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。"}, "RequestId": "b9a3f2e1-7c4d-4a8b-9e6f-2d1c0b3a4e5f"}}, hunyuan_call, content_type="application/json"),
        LlmDecoy("hunyuan", "hunyuan.tencentcloudapi.com", 200, {"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "请求的次数超过了频率限制。"}, "RequestId": "c0b4e3f2-8d5e-4b9c-af70-3e2d1c4b5f60"}}, hunyuan_call, content_type="application/json"),
        # Anthropic (docs.anthropic.com/en/api/errors; bodies as in anthropics/claude-code#71670)
        LlmDecoy("anthropic", "api.anthropic.com", 429, {"type": "error", "error": {"type": "rate_limit_error", "message": "This request would exceed your account's rate limit. Please try again later."}}, anthropic_call),
        LlmDecoy("anthropic", "api.anthropic.com", 400, {"type": "error", "error": {"type": "invalid_request_error", "message": "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}, anthropic_call),
        LlmDecoy("anthropic", "api.anthropic.com", 529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, anthropic_call),
        # Gemini (ai.google.dev/gemini-api/docs/troubleshooting; body as in Wei-Shaw/sub2api#308)
        LlmDecoy("gemini", "generativelanguage.googleapis.com", 429, {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}, gemini_call),
        LlmDecoy("gemini", "generativelanguage.googleapis.com", 400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}, gemini_call),
        # Baidu Qianfan (cloud.baidu.com/doc/WENXINWORKSHOP error codes): HTTP 200, error_code/error_msg
        LlmDecoy("qianfan", "aip.baidubce.com", 200, {"error_code": 18, "error_msg": "Open api qps request limit reached"}, requests_body_call("http://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-4.0-8k", "qianfan")),
        LlmDecoy("qianfan", "aip.baidubce.com", 200, {"error_code": 17, "error_msg": "Open api daily request limit reached"}, requests_body_call("http://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-4.0-8k", "qianfan")),
    ]


# --------------------------------------------------------------------------
# Non-LLM services: lookalike bodies written here, codes taken from the catalog
# --------------------------------------------------------------------------
def colliding_codes(rows: Dict[str, List[catalog_rows.Row]]) -> Dict[str, List[str]]:
    """Codes of the four as the lookalikes can carry them, from the catalog data."""
    plain = lambda p: sorted({r.code for r in rows[p] if catalog_rows.PLACEHOLDER.search(r.code) is None})
    return {"zhipu_business": [c for c in plain("zhipu") if int(c) >= 1000],
            "ppio_reason": plain("ppio"), "coze": plain("coze"),
            "ark": [c for c in plain("volcengine")]}


def lookalikes(rng: random.Random, codes: Dict[str, List[str]]) -> List[Tuple[str, str, str, str]]:
    """(service, logger, text, colliding code) of one lookalike, chosen by `rng`."""
    z = rng.choice(codes["zhipu_business"])
    p = rng.choice(codes["ppio_reason"])
    c = rng.choice(codes["coze"])
    a = rng.choice(codes["ark"])
    # MySQL's ER_DUP_ENTRY and ER_LOCK_DEADLOCK; 1213 is also a Zhipu code
    mysql = rng.choice(("1062", "1213"))
    mysql_text = {"1062": "(1062, \"Duplicate entry 'ORD-20261102-118' for key 'orders.uk_order_no'\")",
                  "1213": "(1213, 'Deadlock found when trying to get lock; try restarting transaction')"}[mysql]
    j = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))
    return [
        ("sms-gateway", "app.http", "upstream sms-gateway returned " + j({"error": {"code": z, "message": "template not approved"}}), z),
        ("payment-webhook", "app.payments", "payment webhook rejected: " + j({"error": {"code": z, "message": "signature mismatch"}}), z),
        ("sms-gateway", "app.notify", "sms send failed: " + j({"code": 429, "reason": p, "message": "too many sms"}), p),
        ("order-service", "app.rpc", "order-service call failed: " + j({"code": 429, "reason": "RATE_LIMIT_EXCEEDED", "message": "order api rate limited", "metadata": {"service": "order"}}), "RATE_LIMIT_EXCEEDED"),
        ("object-storage", "app.storage", "upload to bucket assets failed: " + j({"Code": a, "Message": "The bucket you are attempting to access must be addressed using the specified endpoint.", "RequestId": "64F2A1B3C4D5E6F708192A3B", "HostId": "assets.oss-cn-hangzhou.aliyuncs.com"}), a),
        ("crm-api", "app.crm", "crm sync failed: " + j({"code": int(c), "msg": "customer not found", "data": None}), c),
        ("mysql", "app.db", "order insert failed: pymysql.err.IntegrityError: " + mysql_text if mysql == "1062"
         else "order update failed: pymysql.err.OperationalError: " + mysql_text, mysql),
        ("postgres", "app.db", 'sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key" DETAIL:  Key (email)=(li.wei@example.com) already exists. [SQLSTATE 23505]', "23505"),
        ("postgres", "app.db", "psycopg2.errors.DeadlockDetected: deadlock detected DETAIL:  Process 4242 waits for ShareLock on transaction 7319; blocked by process 4243. [SQLSTATE 40P01]", "40P01"),
    ]


# --------------------------------------------------------------------------
# Real provider errors interleaved (the manifest's rows)
# --------------------------------------------------------------------------
REAL = [msg.TARGETS[i] for i, t in enumerate(msg.TARGETS) if t.name in ("openai3-zhipu", "openai3-ark", "openai3-ppio", "httpx-zai")]


def httpx_body_call(t: msg.Target, client: Any) -> int:
    """An app that logs the provider's raw body itself (the code survives)."""
    import httpx
    r = httpx.post(t.provider_url.rstrip("/") + "/chat/completions", json={"model": t.model, "messages": msg._messages()}, timeout=30)
    if r.status_code != 200:
        raise RuntimeError(f"{t.host} returned {r.status_code}: {r.text}")
    return r.json()["usage"]["total_tokens"]


def run_file(style: str, all_rows: Dict[str, List[catalog_rows.Row]]) -> Tuple[str, int, int]:
    fname = f"decoy-{style}"
    cap.CLOCK.reset(fname)
    cap.IDS = cap.Ids(fname)
    rng = random.Random(zlib.crc32(("plan:" + fname).encode()))
    buf = io.StringIO()
    app, counter, handlers = msg.setup_logging(style, buf)
    web = logging.getLogger("app.web")
    codes = colliding_codes(all_rows)
    decoys_llm = llm_decoys()
    manifest: List[Dict[str, Any]] = []
    decoy_lines: List[Dict[str, Any]] = []
    pools = {t.name: [it for it in msg.items_for(t.provider, all_rows[t.provider]) if it.kind != "undocumented"] for t in REAL}

    def emit(fn: Callable[[], None]) -> Tuple[int, str]:
        before = len(buf.getvalue())
        start = buf.getvalue().count("\n")
        fn()
        return start, buf.getvalue()[before:]

    def log_text(logger: str, text: str) -> None:
        if style == "print":
            print(text, file=buf)
        elif style == "jsonl":
            logging.getLogger(logger).error("upstream error", extra={"err": text, "provider_url": ""})
        elif style == "repr":
            logging.getLogger(logger).error("%r", RuntimeError(text))
        elif style == "logging-exception":
            try:
                raise RuntimeError(text)
            except RuntimeError:
                logging.getLogger(logger).exception("request failed")
        else:
            logging.getLogger(logger).error("%s", text)

    def record_decoy(service: str, kind: str, code: str, start: int, record: str) -> None:
        for k in range(record.rstrip("\n").count("\n") + 1):
            decoy_lines.append({"line": start + 1 + k, "service": service, "kind": kind, "colliding_code": code})

    def filler(n: int) -> None:
        for _ in range(n):
            f = rng.choice(cap.FILLER)
            web.info(f % rng.randint(10, 99) if "%" in f else f)
            cap.CLOCK.pause(0.2, 1.5)

    for rnd in range(ROUNDS):
        t = REAL[rnd % len(REAL)]
        client = t.make(t)
        call = httpx_body_call if t.name == "httpx-zai" else t.call
        if rng.random() < 0.5:  # a real provider error (the manifest's row)
            item = dataclasses.replace(rng.choice(pools[t.name]), with_code=rng.random() < 0.7)
            item.message = msg.fill_message(item)
            status, body, headers = msg.error_body(item)
            cap.expect(cap.Planned(status, body, headers=headers + [("x-should-retry", "false")], expect_host=t.host))
            try:
                call(t, client)
            except Exception as e:
                cap.check_drained(fname)
                start, record = emit(lambda: msg.log_error(app, style, e, t, buf))
                manifest.append(msg.manifest_row(item, all_rows[t.provider], record.rstrip("\n"), start + 1, t, style))
            else:
                raise SystemExit(f"{fname}: {item.code} did not raise")
        else:  # a successful call: the provider's host is named on the httpx line (text styles)
            plan, _ = cap.completion_plan(t.host, t.model, cap.IDS.request_id())
            cap.expect(plan)
            tokens = call(t, client)
            cap.check_drained(fname)
            app.info("chat ok tokens=%d", tokens)
        cap.CLOCK.pause()
        filler(rng.randint(2, 12))
        # one or two decoys, 3-20 lines after the provider's line
        for _ in range(rng.choice((1, 1, 2))):
            if rng.random() < 0.5:
                d = rng.choice(decoys_llm)
                cap.expect(cap.Planned(d.status, cap.jdump(d.body), content_type=d.content_type,
                                       headers=d.headers + [("x-should-retry", "false")], expect_host=d.host))
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        d.call(d)
                except Exception as e:
                    cap.check_drained(fname)
                    logger = logging.getLogger("app." + d.service)
                    start, record = emit(lambda: log_other(logger, style, e, buf))
                    record_decoy(d.service, "llm", "", start, record)
                else:
                    raise SystemExit(f"{fname}: {d.service} did not raise")
            else:
                service, logger, text, code = rng.choice(lookalikes(rng, codes))
                start, record = emit(lambda: log_text(logger, text))
                record_decoy(service, "lookalike", code, start, record)
            cap.CLOCK.pause(0.5, 3)
            filler(rng.randint(1, 4))
    cap.teardown_logging(app, counter, handlers)
    text = msg.normalise(buf.getvalue())
    cap.write(OUT / f"{fname}.log", text)
    for m in manifest:
        m["sdk_version"] = msg.sdk_version(m["sdk"])
    cap.write(OUT / f"{fname}.expect.jsonl", "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in manifest))
    cap.write(OUT / f"{fname}.decoys.jsonl", "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in decoy_lines))
    return fname, len(manifest), len({d["line"] for d in decoy_lines})


def log_other(logger: logging.Logger, style: str, e: BaseException, stream: Any) -> None:
    if style == "print":
        print(e, file=stream)
    elif style == "logging-exception":
        logger.exception("llm call failed")
    elif style == "logger-error":
        logger.error("llm call failed: %s", e)
    elif style == "jsonl":
        logger.error("llm call failed", extra={"err": str(e), "provider_url": ""})
    else:
        logger.error("%r", e)


def main() -> None:
    if sys.version_info[:2] != (3, 11):
        print("warning: fixtures were made with Python 3.11; tracebacks (carets, paths) will differ", file=sys.stderr)
    warnings.simplefilter("ignore")
    for k in ("OPENAI_LOG", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "GOOGLE_API_KEY", "GEMINI_API_KEY", "DASHSCOPE_API_KEY"):
        os.environ.pop(k, None)
    cap.SERVER = cap.ProviderServer()
    threading.Thread(target=cap.SERVER.serve_forever, daemon=True).start()
    proxy = "http://127.0.0.1:%d" % cap.SERVER.server_address[1]
    for k in ("HTTP_PROXY", "http_proxy"):
        os.environ[k] = proxy
    for k in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(k, None)
    for module in ("openai", "httpx", "requests", "dashscope", "tencentcloud.hunyuan.v20230901.hunyuan_client",
                   "anthropic", "google.genai"):
        __import__(module)  # before logging is set up, as in messages.py
    OUT.mkdir(parents=True, exist_ok=True)
    all_rows = catalog_rows.load()
    for style in STYLES:
        name, n, d = run_file(style, all_rows)
        print(f"{name}.log: {n} provider errors, {d} decoy lines")
    cap.SERVER.shutdown()


if __name__ == "__main__":
    main()
