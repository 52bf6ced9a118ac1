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
            for keep in ["errwatch", "--catalog", "FILE", "UTF-8"] {
                rest = rest.replace(keep, "");
            }
            let english = rest.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() > 1);
            assert!(!english, "{name} untranslated: {zh:?}");
            assert_ne!(en, zh, "{name}");
        }
    }
}
