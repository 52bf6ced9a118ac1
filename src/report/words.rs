//! The words of the people-facing reports, in each language: one table per language, so a
//! phrase added in one is seen missing in the other by the compiler, not by a reader.

use crate::catalog::{Lang, Severity};

pub struct Words {
    pub title: &'static str,
    /// `{lines}`, `{bytes}`, `{errors}`, `{known}`, `{unknown}`.
    pub summary: &'static str,
    /// `{long}` lines over the cap, `{bad}` not UTF-8.
    pub long_and_invalid: &'static str,
    /// `{zone}`
    pub times_in: &'static str,
    /// `{source}`, `{error}`
    pub cannot_read: &'static str,
    pub none: &'static str,
    pub act: &'static str,
    pub since: &'static str,
    pub no_timestamp: &'static str,
    /// `{n}` more, `{how}` the command that lists them.
    pub more_actions: &'static str,
    pub by_provider: &'static str,
    pub provider_category: &'static str,
    pub provider: &'static str,
    pub category: &'static str,
    pub code: &'static str,
    pub count: &'static str,
    pub share: &'static str,
    pub seen: &'static str,
    pub first_seen: &'static str,
    pub last_seen: &'static str,
    pub retry: &'static str,
    pub retryable: &'static str,
    pub description: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub unknown_code: &'static str,
    pub unknown_codes: &'static str,
    pub example: &'static str,
    pub example_short: &'static str,
    /// `{n}` more, `{how}` where they are.
    pub more_templates: &'static str,
    /// `{width}` per mark, `{start}` the first mark's time.
    pub timeline: &'static str,
    /// `{code}`, `{message}`, `{status}` counts.
    pub evidence: &'static str,
    pub not_in_catalog: &'static str,
    pub teach: &'static str,
    pub md_act: &'static str,
    pub md_by_code: &'static str,
    pub md_unknown: &'static str,
    /// As `timeline`.
    pub md_timeline: &'static str,
    pub html_range: &'static str,
    pub html_lines: &'static str,
    pub html_bytes: &'static str,
    pub html_errors: &'static str,
    /// `{known}`, `{unknown}`
    pub html_known_unknown: &'static str,
    pub html_sources: &'static str,
    pub html_unreadable: &'static str,
    pub html_meaning: &'static str,
    pub html_todo: &'static str,
    pub html_in_full: &'static str,
    pub html_first: &'static str,
    pub html_last: &'static str,
    pub html_timeline: &'static str,
    /// `{width}` per bar, `{start}`
    pub html_timeline_note: &'static str,
    /// `{provider}`, `{total}`, `{start}`, `{end}`, `{peak}`
    pub html_timeline_alt: &'static str,
    /// `{code}`, `{at}`
    pub html_critical_first: &'static str,
    pub html_no_times: &'static str,
    pub html_top_codes: &'static str,
    /// `{n}`, `{list}`
    pub html_top_alt: &'static str,
    pub html_chart_data: &'static str,
    pub html_time: &'static str,
    pub html_total: &'static str,
    pub html_sort_hint: &'static str,
    pub html_evidence: &'static str,
    pub html_by_code_ev: &'static str,
    pub html_by_message_ev: &'static str,
    pub html_by_status_ev: &'static str,
    pub html_unknown: &'static str,
    pub html_status: &'static str,
    pub html_severity: &'static str,
    /// `{at}`
    pub html_live: &'static str,
    /// `{error}`
    pub html_live_stale: &'static str,
    pub html_palette: &'static str,
    severities: [&'static str; 4],
}

const EN: Words = Words {
    title: "errwatch report",
    summary: "{lines} lines, {bytes} read; {errors} provider errors ({known} known, {unknown} unknown)",
    long_and_invalid: "{long} lines over the line cap (searched in part), {bad} lines not valid UTF-8",
    times_in: "Times in {zone}.",
    cannot_read: "cannot read {source}: {error}",
    none: "No provider errors found.",
    act: "WHAT TO DO FIRST",
    since: "since",
    no_timestamp: "no timestamp",
    more_actions: "… {n} more of medium or low severity: {how} lists them",
    by_provider: "BY PROVIDER, CATEGORY AND CODE",
    provider_category: "provider/category",
    provider: "provider",
    category: "category",
    code: "code",
    count: "count",
    share: "share",
    seen: "first → last seen",
    first_seen: "first seen",
    last_seen: "last seen",
    retry: "retry",
    retryable: "retryable",
    description: "description",
    yes: "yes",
    no: "no",
    unknown_code: "(unknown code)",
    unknown_codes: "UNKNOWN CODES (teach errwatch with --catalog FILE)",
    example: "example",
    example_short: "e.g. ",
    more_templates: "… {n} more: {how} lists them all",
    timeline: "OVER TIME (one mark per {width}, from {start})",
    evidence: "Evidence: {code} by code, {message} by message, {status} by status only.",
    not_in_catalog: "code not in the catalog",
    teach: "look at the example below; add the code with --catalog",
    md_act: "What to do first",
    md_by_code: "By code",
    md_unknown: "Unknown codes",
    md_timeline: "Over time (one mark per {width}, from {start})",
    html_range: "Time range",
    html_lines: "Lines read",
    html_bytes: "Bytes read",
    html_errors: "Provider errors",
    html_known_unknown: "{known} known, {unknown} unknown",
    html_sources: "Sources",
    html_unreadable: "could not be read",
    html_meaning: "What it means",
    html_todo: "What to do",
    html_in_full: "In full",
    html_first: "first",
    html_last: "last",
    html_timeline: "Errors over time, by category",
    html_timeline_note: "One bar per {width}, from {start}; ▼ marks the first occurrence of a critical code.",
    html_timeline_alt: "{provider}: {total} errors between {start} and {end}, most in one bar: {peak}.",
    html_critical_first: "first {code} (critical) at {at}",
    html_no_times: "None of these errors had a timestamp: no timeline.",
    html_top_codes: "Most frequent codes",
    html_top_alt: "The {n} most frequent codes: {list}.",
    html_chart_data: "The chart's numbers",
    html_time: "time",
    html_total: "total",
    html_sort_hint: "Select a column heading to sort the table.",
    html_evidence: "Known by",
    html_by_code_ev: "code",
    html_by_message_ev: "message",
    html_by_status_ev: "status",
    html_unknown: "unknown",
    html_status: "HTTP",
    html_severity: "severity",
    html_live: "Live: updated {at}",
    html_live_stale: "Live updates paused: {error}",
    html_palette: "Colours: Okabe–Ito palette, with patterns, so categories read without colour too.",
    severities: ["CRITICAL", "HIGH", "MEDIUM", "LOW"],
};

const ZH: Words = Words {
    title: "errwatch 报告",
    summary: "{lines} 行，已读 {bytes}；{errors} 条服务商错误（已知 {known}，未知 {unknown}）",
    long_and_invalid: "{long} 行超过行长上限（只搜索了前一部分），{bad} 行不是有效的 UTF-8",
    times_in: "时间按 {zone} 时区显示。",
    cannot_read: "无法读取 {source}：{error}",
    none: "未发现服务商错误。",
    act: "优先处理",
    since: "始于",
    no_timestamp: "无时间戳",
    more_actions: "… 另有 {n} 项中、低级别：{how} 全部列出",
    by_provider: "按服务商、类别和错误码",
    provider_category: "服务商/类别",
    provider: "服务商",
    category: "类别",
    code: "错误码",
    count: "次数",
    share: "占比",
    seen: "首次 → 末次出现",
    first_seen: "首次出现",
    last_seen: "末次出现",
    retry: "重试",
    retryable: "可重试",
    description: "说明",
    yes: "是",
    no: "否",
    unknown_code: "（未知错误码）",
    unknown_codes: "未知错误码（可用 --catalog FILE 补充）",
    example: "示例",
    example_short: "例：",
    more_templates: "… 另有 {n} 项：{how} 全部列出",
    timeline: "时间分布（每格 {width}，自 {start} 起）",
    evidence: "依据：按错误码 {code} 条，按消息 {message} 条，仅按状态码 {status} 条。",
    not_in_catalog: "目录中没有此错误码",
    teach: "查看下方示例；用 --catalog 补充此错误码",
    md_act: "优先处理",
    md_by_code: "按错误码",
    md_unknown: "未知错误码",
    md_timeline: "时间分布（每格 {width}，自 {start} 起）",
    html_range: "时间范围",
    html_lines: "已读行数",
    html_bytes: "已读数据",
    html_errors: "服务商错误",
    html_known_unknown: "已知 {known}，未知 {unknown}",
    html_sources: "来源",
    html_unreadable: "无法读取",
    html_meaning: "含义",
    html_todo: "处理办法",
    html_in_full: "完整说明",
    html_first: "首次",
    html_last: "末次",
    html_timeline: "错误随时间分布（按类别）",
    html_timeline_note: "每根柱 {width}，自 {start} 起；▼ 标出严重错误码的首次出现。",
    html_timeline_alt: "{provider}：{start} 至 {end} 共 {total} 条错误，单根柱最多 {peak} 条。",
    html_critical_first: "{at} 首次出现 {code}（严重）",
    html_no_times: "这些错误都没有时间戳，无法绘制时间分布。",
    html_top_codes: "最常见的错误码",
    html_top_alt: "出现最多的 {n} 个错误码：{list}。",
    html_chart_data: "图表数据",
    html_time: "时间",
    html_total: "合计",
    html_sort_hint: "点击列标题可排序。",
    html_evidence: "依据",
    html_by_code_ev: "错误码",
    html_by_message_ev: "消息",
    html_by_status_ev: "状态码",
    html_unknown: "未知",
    html_status: "HTTP 状态",
    html_severity: "级别",
    html_live: "实时：更新于 {at}",
    html_live_stale: "实时更新暂停：{error}",
    html_palette: "颜色采用 Okabe–Ito 色盲友好配色并配以纹理，无色时也可区分类别。",
    severities: ["严重", "高", "中", "低"],
};

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    pub fn severity(&self, s: Severity) -> &'static str {
        self.severities[match s {
            Severity::Critical => 0,
            Severity::High => 1,
            Severity::Medium => 2,
            Severity::Low => 3,
        }]
    }

    pub fn yes_no(&self, yes: bool) -> &'static str {
        if yes {
            self.yes
        } else {
            self.no
        }
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// `4 s`, `8 min`, `1.5 h`, in the report's language.
pub fn seconds(s: f64, lang: Lang) -> String {
    let (n, unit_en, unit_zh) = match s {
        s if s >= 86_400.0 => (format!("{:.1}", s / 86_400.0), "d", "天"),
        s if s >= 3600.0 => (format!("{:.1}", s / 3600.0), "h", "小时"),
        s if s >= 60.0 => (format!("{:.0}", s / 60.0), "min", "分钟"),
        s => (format!("{s:.0}"), "s", "秒"),
    };
    match lang {
        Lang::En => format!("{n} {unit_en}"),
        Lang::Zh => format!("{n} {unit_zh}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every phrase of a table, by name.
    fn phrases(w: &Words) -> Vec<(&'static str, &'static str)> {
        let mut all = vec![
            ("title", w.title),
            ("summary", w.summary),
            ("long_and_invalid", w.long_and_invalid),
            ("times_in", w.times_in),
            ("cannot_read", w.cannot_read),
            ("none", w.none),
            ("act", w.act),
            ("since", w.since),
            ("no_timestamp", w.no_timestamp),
            ("more_actions", w.more_actions),
            ("by_provider", w.by_provider),
            ("provider_category", w.provider_category),
            ("provider", w.provider),
            ("category", w.category),
            ("code", w.code),
            ("count", w.count),
            ("share", w.share),
            ("seen", w.seen),
            ("first_seen", w.first_seen),
            ("last_seen", w.last_seen),
            ("retry", w.retry),
            ("retryable", w.retryable),
            ("description", w.description),
            ("yes", w.yes),
            ("no", w.no),
            ("unknown_code", w.unknown_code),
            ("unknown_codes", w.unknown_codes),
            ("example", w.example),
            ("example_short", w.example_short),
            ("more_templates", w.more_templates),
            ("timeline", w.timeline),
            ("evidence", w.evidence),
            ("not_in_catalog", w.not_in_catalog),
            ("teach", w.teach),
            ("md_act", w.md_act),
            ("md_by_code", w.md_by_code),
            ("md_unknown", w.md_unknown),
            ("md_timeline", w.md_timeline),
            ("html_range", w.html_range),
            ("html_lines", w.html_lines),
            ("html_bytes", w.html_bytes),
            ("html_errors", w.html_errors),
            ("html_known_unknown", w.html_known_unknown),
            ("html_sources", w.html_sources),
            ("html_unreadable", w.html_unreadable),
            ("html_meaning", w.html_meaning),
            ("html_todo", w.html_todo),
            ("html_in_full", w.html_in_full),
            ("html_first", w.html_first),
            ("html_last", w.html_last),
            ("html_timeline", w.html_timeline),
            ("html_timeline_note", w.html_timeline_note),
            ("html_timeline_alt", w.html_timeline_alt),
            ("html_critical_first", w.html_critical_first),
            ("html_no_times", w.html_no_times),
            ("html_top_codes", w.html_top_codes),
            ("html_top_alt", w.html_top_alt),
            ("html_chart_data", w.html_chart_data),
            ("html_time", w.html_time),
            ("html_total", w.html_total),
            ("html_sort_hint", w.html_sort_hint),
            ("html_evidence", w.html_evidence),
            ("html_by_code_ev", w.html_by_code_ev),
            ("html_by_message_ev", w.html_by_message_ev),
            ("html_by_status_ev", w.html_by_status_ev),
            ("html_unknown", w.html_unknown),
            ("html_status", w.html_status),
            ("html_severity", w.html_severity),
            ("html_live", w.html_live),
            ("html_live_stale", w.html_live_stale),
            ("html_palette", w.html_palette),
        ];
        all.extend(w.severities.iter().map(|s| ("severity", *s)));
        all
    }

    /// `{name}` placeholders of a phrase, in order.
    fn placeholders(phrase: &str) -> Vec<&str> {
        phrase.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(name, _)| name)).collect()
    }

    #[test]
    fn every_phrase_is_translated() {
        for ((name, en), (_, zh)) in phrases(&EN).into_iter().zip(phrases(&ZH)) {
            let (mut a, mut b) = (placeholders(en), placeholders(zh));
            a.sort();
            b.sort();
            assert_eq!(a, b, "{name}: {en:?} / {zh:?}");
            // No English left in Chinese beyond names and placeholders.
            let mut rest = zh.to_string();
            for n in placeholders(zh) {
                rest = rest.replace(&format!("{{{n}}}"), "");
            }
            for keep in ["errwatch", "--catalog", "FILE", "UTF-8", "HTTP", "Okabe–Ito"] {
                rest = rest.replace(keep, "");
            }
            let english = rest.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() > 1);
            assert!(!english, "{name} untranslated: {zh:?}");
            assert_ne!(en, zh, "{name}");
        }
    }
}
