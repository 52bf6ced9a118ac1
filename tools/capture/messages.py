#!/usr/bin/env python3
"""Capture message-form errors: SDKs that print a status and a message, or only a status.

litellm, LangChain, the openai SDK 1.x and 3.x, httpx and requests (`raise_for_status()`)
and cozepy, each against the providers' real base URLs, answered by the loopback server of
capture.py.  Every catalog row (read from src/catalog/*.toml) is answered with its
documented message and with each of its aliases (the texts the services really send), with
and without the code in the body, plus a few real but undocumented codes.  Logged in the
styles of the SDK captures and with `print(e)`.  Output: fixtures/logs/messages/.

The manifests say what was sent and printed, computed here and never by errwatch: see the
README written beside the logs.

Usage (see run.sh):  python messages.py --group main|openai1|litellm|langchain
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import logging
import os
import random
import re
import sys
import threading
import warnings
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# litellm fetches a model price map from the network at import; read the bundled one.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import capture as cap  # noqa: E402  (the loopback server, fake clock, ids, log formats)
import catalog_rows  # noqa: E402

REPO = cap.REPO
OUT = REPO / "fixtures" / "logs" / "messages"
STYLES = ["logging-exception", "logger-error", "jsonl", "repr", "print"]

# Real codes the services send that no document lists (manifest: known false, category
# unknown).  1305 and 1261 are BigModel's; Ark's InvalidEndpoint.NotFound is in
# w4n9H/autocoder-nano#3.
UNDOCUMENTED = {
    "zhipu": [("1305", 429, None, "当前API请求过多，请稍后重试。"), ("1261", 400, None, "Prompt 超长")],
    "volcengine": [("InvalidEndpoint.NotFound", 404, "NotFound",
                    "The request targeted an endpoint that does not exist or is invalid. Request id: {id}")],
}


# --------------------------------------------------------------------------
# What is sent: one item per (row, text), bodies with or without the code
# --------------------------------------------------------------------------
@dataclasses.dataclass
class Item:
    provider: str
    code: str                 # the code as sent (templated codes filled)
    status: Optional[int]     # HTTP status sent (None: coze's HTTP 200)
    etype: Optional[str]      # Ark "type"
    template: str             # the catalog text the message was made from
    kind: str                 # documented | alias | undocumented
    category: str
    known: bool
    with_code: bool = True
    message: str = ""         # filled at send time (request ids come from the file's generator)


def fill_value(provider: str, name: str, index: int) -> str:
    ids = cap.IDS
    if name in ("id", "request_id", "error_id"):
        return ("0217" + cap.CLOCK.stamp() + ids.hex(30)) if provider == "volcengine" else (cap.CLOCK.stamp() + ids.hex(16))
    fixed = {"field": "messages", "field1": "temperature", "field2": "top_p", "method": "SSE",
             "API_name": "glm-4-alltools", "next_flush_time": "2026-11-02 15:00:00", "number": "5", "unit": "小时",
             "Parameter": "model", "ResourceType": "endpoint", "ResourceContent": cap.ARK_ENDPOINT}
    if name in fixed:
        return fixed[name]
    if name == "%s":  # Ark's are filled by ark_percent_s
        return {"ppio": "deepseek/deepseek-v9", "coze": cap.COZE_BOT}[provider]
    raise SystemExit(f"no value for placeholder {name!r}")


def ark_percent_s(template: str) -> Callable[[str, int], str]:
    """Ark's `%s`: account and model where the text names both, else the endpoint."""
    if "account" in template and "model" in template:
        return lambda name, i: fill_value("volcengine", name, i) if name != "%s" else [cap.ARK_ACCOUNT, cap.ARK_MODEL][i % 2]
    return lambda name, i: fill_value("volcengine", name, i) if name != "%s" else cap.ARK_ENDPOINT


def items_for(provider: str, rows: List[catalog_rows.Row]) -> List[Item]:
    out: List[Item] = []
    for r in rows:
        code = catalog_rows.fill(r.code, lambda name, i: fill_value(provider, name, i))
        for j, text in enumerate(r.texts()):
            out.append(Item(provider, code, catalog_rows.send_status(r), r.type, text,
                            "documented" if j == 0 else "alias", r.category, True))
    for code, status, etype, text in UNDOCUMENTED.get(provider, []):
        out.append(Item(provider, code, status, etype, text, "undocumented", "unknown", False))
    return out


def fill_message(item: Item) -> str:
    if item.provider == "volcengine":
        return catalog_rows.fill(item.template, ark_percent_s(item.template))
    return catalog_rows.fill(item.template, lambda name, i: fill_value(item.provider, name, i))


def error_body(item: Item) -> Tuple[int, bytes, List[Tuple[str, str]]]:
    msg = item.message
    p = item.provider
    if p == "zhipu":
        err: Dict[str, Any] = {"code": item.code, "message": msg} if item.with_code else {"message": msg}
        return item.status or 400, cap.jdump({"error": err}), []
    if p == "ppio":
        body = {"code": item.status, "reason": item.code, "message": msg, "metadata": {}}
        if not item.with_code:
            del body["reason"]
        return item.status or 400, cap.jdump(body), []
    if p == "volcengine":
        err = {"code": item.code, "message": msg, "param": "", "type": item.etype or ""}
        if not item.with_code:
            del err["code"]
        return item.status or 400, cap.jdump({"error": err}), [("X-Request-Id", cap.IDS.request_id())]
    if p == "coze":
        logid = cap.IDS.coze_logid()
        return 200, cap.jdump({"code": int(item.code), "msg": msg, "detail": {"logid": logid}}), [("X-Tt-Logid", logid)]
    raise ValueError(p)


# --------------------------------------------------------------------------
# Targets: one SDK against one provider's base URL
# --------------------------------------------------------------------------
@dataclasses.dataclass
class Target:
    name: str
    sdk: str                # manifest "sdk": the PyPI package
    group: str              # which venv runs it
    provider: str
    provider_url: str
    host: str
    model: str
    make: Callable[["Target"], Any]
    call: Callable[["Target", Any], int]
    prints_stdout: bool = False   # the SDK itself prints to stdout (litellm): those lines go to the log too


def _messages() -> List[Dict[str, str]]:
    return [{"role": "user", "content": "帮我总结一下这张工单的要点"}]


def make_openai(t: Target) -> Any:
    from openai import OpenAI
    return OpenAI(base_url=t.provider_url, api_key="sk-capture-0000000000000000", max_retries=0)


def call_openai(t: Target, client: Any) -> int:
    return client.chat.completions.create(model=t.model, messages=_messages()).usage.total_tokens


def make_none(t: Target) -> Any:
    return None


def call_litellm(t: Target, client: Any) -> int:
    import litellm
    resp = litellm.completion(model=t.model, messages=_messages(), api_base=t.provider_url,
                              api_key="sk-capture-0000000000000000", max_retries=0, num_retries=0)
    return resp.usage.total_tokens


def make_lc_openai(t: Target) -> Any:
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(model=t.model, base_url=t.provider_url, api_key="sk-capture-0000000000000000", max_retries=0)


def make_lc_zhipu(t: Target) -> Any:
    from langchain_community.chat_models import ChatZhipuAI
    return ChatZhipuAI(model=t.model, api_key="4c5b8e2f0a9d4e6b8c1f3a7d2e9b0c4f.Xk9sLmQ2rT8vWp4z",
                       zhipuai_api_base=t.provider_url.rstrip("/") + "/chat/completions")


def call_langchain(t: Target, client: Any) -> int:
    msg = client.invoke("帮我总结一下这张工单的要点")
    return int((msg.usage_metadata or {}).get("total_tokens", 0))


def call_httpx(t: Target, client: Any) -> int:
    import httpx
    r = httpx.post(t.provider_url.rstrip("/") + "/chat/completions", json={"model": t.model, "messages": _messages()},
                   headers={"Authorization": "Bearer sk-capture-0000000000000000"}, timeout=30)
    r.raise_for_status()
    return r.json()["usage"]["total_tokens"]


def call_requests(t: Target, client: Any) -> int:
    import requests
    r = requests.post(t.provider_url.rstrip("/") + "/chat/completions", json={"model": t.model, "messages": _messages()},
                      headers={"Authorization": "Bearer sk-capture-0000000000000000"}, timeout=30)
    r.raise_for_status()
    return r.json()["usage"]["total_tokens"]


ZHIPU_URL, ZAI_URL = cap.ZHIPU_URL, cap.ZAI_URL
ARK_URL, PPIO_URL, COZE_URL = cap.ARK_URL, cap.PPIO_URL, cap.COZE_URL
PPIO_MODEL = "deepseek/deepseek-v3.1"

TARGETS: List[Target] = [
    # openai 3.54.0 (main venv): `Error code: 429 - <message>`
    Target("openai3-zhipu", "openai", "main", "zhipu", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus", make_openai, call_openai),
    Target("openai3-ark", "openai", "main", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", cap.ARK_MODEL, make_openai, call_openai),
    Target("openai3-ppio", "openai", "main", "ppio", PPIO_URL, "api.ppinfra.com", PPIO_MODEL, make_openai, call_openai),
    # raise_for_status(): only the status and the URL
    Target("httpx-zai", "httpx", "main", "zhipu", ZAI_URL, "api.z.ai", "glm-4.6", make_none, call_httpx),
    Target("httpx-ark", "httpx", "main", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", cap.ARK_MODEL, make_none, call_httpx),
    Target("httpx-ppio", "httpx", "main", "ppio", PPIO_URL, "api.ppinfra.com", PPIO_MODEL, make_none, call_httpx),
    Target("requests-zhipu", "requests", "main", "zhipu", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus", make_none, call_requests),
    Target("requests-ark", "requests", "main", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", cap.ARK_MODEL, make_none, call_requests),
    Target("requests-ppio", "requests", "main", "ppio", PPIO_URL, "api.ppinfra.com", PPIO_MODEL, make_none, call_requests),
    # cozepy prints code and msg: every Coze row and alias once
    Target("cozepy-chat", "cozepy", "main", "coze", COZE_URL, "api.coze.cn", "", cap.make_coze, cap.call_coze),
    # openai 1.109.1 (the last 1.x): `Error code: 429 - {python dict of the body}`
    Target("openai1-zhipu", "openai", "openai1", "zhipu", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus", make_openai, call_openai),
    Target("openai1-ark", "openai", "openai1", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", cap.ARK_MODEL, make_openai, call_openai),
    Target("openai1-ppio", "openai", "openai1", "ppio", PPIO_URL, "api.ppinfra.com", PPIO_MODEL, make_openai, call_openai),
    # litellm: `litellm.RateLimitError: RateLimitError: NovitaException - <message>`
    Target("litellm-novita", "litellm", "litellm", "ppio", PPIO_URL, "api.ppinfra.com", "novita/" + PPIO_MODEL, make_none, call_litellm, True),
    Target("litellm-volcengine", "litellm", "litellm", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", "volcengine/" + cap.ARK_MODEL, make_none, call_litellm, True),
    Target("litellm-zai", "litellm", "litellm", "zhipu", ZAI_URL.rstrip("/"), "api.z.ai", "zai/glm-4.6", make_none, call_litellm, True),
    Target("litellm-bigmodel", "litellm", "litellm", "zhipu", ZHIPU_URL.rstrip("/"), "open.bigmodel.cn", "bigmodel/glm-4-plus", make_none, call_litellm, True),
    # LangChain: ChatOpenAI against the OpenAI-compatible URLs; ChatZhipuAI prints only raise_for_status
    Target("langchain-openai-zhipu", "langchain-openai", "langchain", "zhipu", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus", make_lc_openai, call_langchain),
    Target("langchain-openai-ark", "langchain-openai", "langchain", "volcengine", ARK_URL, "ark.cn-beijing.volces.com", cap.ARK_MODEL, make_lc_openai, call_langchain),
    Target("langchain-openai-ppio", "langchain-openai", "langchain", "ppio", PPIO_URL, "api.ppinfra.com", PPIO_MODEL, make_lc_openai, call_langchain),
    Target("langchain-chatzhipuai", "langchain-community", "langchain", "zhipu", ZHIPU_URL, "open.bigmodel.cn", "glm-4-plus", make_lc_zhipu, call_langchain),
]


GROUP_MODULES = {"main": ["openai", "httpx", "requests", "cozepy"], "openai1": ["openai", "httpx"],
                 "litellm": ["litellm"], "langchain": ["langchain_openai", "langchain_community.chat_models"]}


def sdk_version(sdk: str) -> str:
    from importlib.metadata import version
    return version(sdk)


# --------------------------------------------------------------------------
# Logging
# --------------------------------------------------------------------------
def setup_logging(style: str, stream: Any) -> Tuple[logging.Logger, cap.ErrorCounter, List[logging.Handler]]:
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.setLevel(logging.WARNING)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(cap.JsonLinesFormatter() if style == "jsonl" else logging.Formatter(cap.TEXT_FORMAT))
    counter = cap.ErrorCounter()
    root.addHandler(handler)
    app = logging.getLogger("app.llm")
    app.setLevel(logging.INFO)
    app.addHandler(counter)
    text = style in ("logging-exception", "logger-error")
    for name in ("httpx", "httpx2"):
        logging.getLogger(name).setLevel(logging.INFO if text else logging.WARNING)
    # requests logs its exchanges through urllib3, at DEBUG only.
    logging.getLogger("urllib3").setLevel(logging.DEBUG if text else logging.WARNING)
    logging.getLogger("app.web").setLevel(logging.INFO)
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return app, counter, [handler]


def log_error(app: logging.Logger, style: str, e: BaseException, t: Target, stream: Any) -> None:
    if style == "print":
        print(e, file=stream)  # what an app's `except Exception as e: print(e)` writes to its stdout
    else:
        cap.log_error(app, style, e, t)  # type: ignore[arg-type]  (uses provider_url only)


def normalise(text: str) -> str:
    text = re.sub(re.escape(str(REPO / "target")) + r"/capture-venv[\w-]*/", "/srv/app/.venv/", text)
    text = text.replace(str(REPO) + "/", "/srv/app/")
    text = text.replace(sys.base_prefix + "/lib/", "/usr/lib/")
    assert cap.SERVER is not None
    port = cap.SERVER.server_address[1]
    return text.replace("127.0.0.1:%d" % port, "127.0.0.1:PORT").replace("localhost:%d" % port, "localhost:PORT")


# --------------------------------------------------------------------------
# The manifest: from what was sent and what was printed
# --------------------------------------------------------------------------
def code_tokens(item: Item) -> List[str]:
    c = item.code
    if item.provider == "coze":
        return [f"code: {c},", f'"code":{c}', f"'code': {c}", f"code={c}"]
    return [f'"{c}"', f"'{c}'"]


def message_forms(msg: str) -> List[str]:
    forms = [msg, json.dumps(msg, ensure_ascii=False)[1:-1], repr(msg)[1:-1]]
    return list(dict.fromkeys(forms))


def first_line_with(lines: List[str], needles: List[str]) -> Optional[int]:
    for i, line in enumerate(lines):
        if any(n in line for n in needles):
            return i
    return None


def manifest_row(item: Item, rows: List[catalog_rows.Row], record: str, first_line: int, t: Target, style: str) -> Dict[str, Any]:
    lines = record.split("\n")
    code_at = first_line_with(lines, code_tokens(item)) if item.with_code or item.provider == "coze" else None
    msg_at = first_line_with(lines, message_forms(item.message))
    status_at = None
    if item.status is not None:  # not the milliseconds of a timestamp (",429" / ".429Z")
        rx = re.compile(r"(?<![\d,.:])%d(?!\d)" % item.status)
        status_at = next((i for i, line in enumerate(lines) if rx.search(line)), None)
    matches = catalog_rows.rows_with_message(rows, item.status, item.message) if msg_at is not None else []
    m: Dict[str, Any] = {"provider": item.provider}
    if code_at is not None:
        m["code"], evidence, at = item.code, "code", code_at
    elif msg_at is not None:
        if len(matches) == 1:  # the printed message is one entry's text: it names the code
            m["code"] = item.code
        evidence, at = "message", msg_at
    else:
        evidence, at = "status", status_at
    if at is None:
        raise SystemExit(f"{t.name}-{style}: {item.code} left neither its code, a message nor its status in the log")
    if "code" in m:
        m["known"] = item.known
    m.update(category=item.category, http_status=item.status, line=first_line + at, evidence=evidence,
             sdk=t.sdk, style=style, sent_code=item.code, doc_message=item.template, text=item.kind,
             body="with_code" if item.with_code or item.provider == "coze" else "without_code")
    return m


# --------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------
def ok_plan(t: Target) -> cap.Planned:
    if t.provider == "coze":
        plan, _ = cap.coze_ok_plan(t.host, False)
        return plan
    plan, _ = cap.completion_plan(t.host, t.model.split("/", 1)[-1] if t.sdk == "litellm" else t.model, cap.IDS.request_id())
    return plan


def run_target(t: Target, all_rows: Dict[str, List[catalog_rows.Row]], t_index: int) -> List[Tuple[str, int]]:
    rows = all_rows[t.provider]
    items = items_for(t.provider, rows)
    # Each item once per target, its style and body form rotated so that across targets every
    # text meets every style and both body forms.
    per_style: Dict[str, List[Item]] = {s: [] for s in STYLES}
    for i, it in enumerate(items):
        style = STYLES[(i + t_index) % len(STYLES)]
        it = dataclasses.replace(it, with_code=it.provider == "coze" or ((i // len(STYLES) + t_index) % 2 == 0))
        per_style[style].append(it)
    return [run_file(t, style, per_style[style], rows) for style in STYLES if per_style[style]]


def run_file(t: Target, style: str, items: List[Item], rows: List[catalog_rows.Row]) -> Tuple[str, int]:
    fname = f"{t.name}-{style}"
    cap.CLOCK.reset(fname)
    cap.IDS = cap.Ids(fname)
    rng = random.Random(zlib.crc32(("plan:" + fname).encode()))
    client = t.make(t)
    buf = io.StringIO()
    if t.sdk == "cozepy":  # cozepy's own warning lines go to its own stderr handler
        import cozepy.log as cozelog
        for h in cozelog.logger.handlers:
            h.setStream(io.StringIO())
    app, counter, handlers = setup_logging(style, buf)
    web = logging.getLogger("app.web")
    manifest: List[Dict[str, Any]] = []
    out = buf if t.prints_stdout else io.StringIO()

    def call() -> int:
        with contextlib.redirect_stdout(out):
            return t.call(t, client)

    def success() -> None:
        cap.expect(ok_plan(t))
        tokens = call()
        cap.check_drained(fname)
        app.info("chat submitted bot_id=%s" % cap.COZE_BOT if t.provider == "coze" else "chat ok tokens=%d" % tokens)
        cap.CLOCK.pause()

    web.info("POST /api/v1/assist 200 %dms", 800 + rng.randint(0, 1500))
    success()
    for i, item in enumerate(items):
        if rng.random() < 0.35:
            f = rng.choice(cap.FILLER)
            web.info(f % rng.randint(10, 99) if "%" in f else f)
            cap.CLOCK.pause(0.5, 3)
        item.message = fill_message(item)
        status, body, headers = error_body(item)
        # x-should-retry: the openai SDK inside litellm retries 429s whatever max_retries says.
        cap.expect(cap.Planned(status, body, headers=headers + [("x-should-retry", "false")], expect_host=t.host))
        try:
            call()
        except Exception as e:  # the SDK's real exception
            cap.check_drained(fname)
            before = len(buf.getvalue())
            start = buf.getvalue().count("\n")
            log_error(app, style, e, t, buf)
            record = buf.getvalue()[before:]
            manifest.append(manifest_row(item, rows, record.rstrip("\n"), start + 1, t, style))
        else:
            raise SystemExit(f"{fname}: {item.code} did not raise")
        cap.CLOCK.pause()
        if i % 3 == 2:
            success()
    success()
    cap.teardown_logging(app, counter, handlers)
    want = len(manifest) if style != "print" else 0
    if counter.count != want:
        raise SystemExit(f"{fname}: {counter.count} error records, {want} expected")
    text = normalise(buf.getvalue())
    if text.count("\n") != buf.getvalue().count("\n"):
        raise SystemExit(f"{fname}: normalising changed the line count")
    cap.write(OUT / f"{fname}.log", text)
    for m in manifest:
        m["sdk_version"] = sdk_version(t.sdk)
    cap.write(OUT / f"{fname}.expect.jsonl", "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in manifest))
    return fname, len(manifest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", choices=sorted({t.group for t in TARGETS}) + ["all"], default="all")
    ap.add_argument("--only", help="run only targets whose name starts with this")
    args = ap.parse_args()
    if sys.version_info[:2] != (3, 11):
        print("warning: fixtures were made with Python 3.11; tracebacks (carets, paths) will differ", file=sys.stderr)
    warnings.simplefilter("ignore")  # PyJWT's key-length warning (ChatZhipuAI) goes to stderr, not the log
    for k in ("OPENAI_LOG", "OPENAI_BASE_URL", "ZHIPUAI_BASE_URL", "ZAI_BASE_URL", "ZAI_API_BASE", "NOVITA_API_BASE",
              "VOLCENGINE_API_BASE", "BIGMODEL_API_BASE", "OPENAI_API_KEY"):
        os.environ.pop(k, None)
    cap.SERVER = cap.ProviderServer()
    threading.Thread(target=cap.SERVER.serve_forever, daemon=True).start()
    proxy = "http://127.0.0.1:%d" % cap.SERVER.server_address[1]
    for k in ("HTTP_PROXY", "http_proxy"):
        os.environ[k] = proxy
    for k in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(k, None)
    # Import the SDKs before any logging is set up: litellm sets the httpx logger's level at
    # import, which would otherwise make the first file of a run differ from the others.
    for module in GROUP_MODULES[args.group] if args.group != "all" else sum(GROUP_MODULES.values(), []):
        __import__(module)
    OUT.mkdir(parents=True, exist_ok=True)
    all_rows = catalog_rows.load()
    results = []
    for t_index, t in enumerate(TARGETS):
        if args.group != "all" and t.group != args.group:
            continue
        if args.only and not t.name.startswith(args.only):
            continue
        results += run_target(t, all_rows, t_index)
    cap.SERVER.shutdown()
    for name, n in results:
        print(f"{name}.log: {n} errors")


if __name__ == "__main__":
    main()
