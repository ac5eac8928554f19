//! The page's own words in English and Chinese. Rule messages, fixes and
//! step titles come translated from the engine.

use svcdoctor_engine::report::{Severity, StepStatus, Verdict, Via};
use svcdoctor_engine::Lang;

/// Every string the page shows, as a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Tagline,
    PasteTitle,
    PasteHint,
    PasteLabel,
    AddFile,
    DropHere,
    Clear,
    ClearConfirm,
    ReplaceConfirm,
    Examples,
    ExamplesHint,
    ExamplePick,
    Language,
    Via,
    ViaInferred,
    Outputs,
    OutputsNone,
    Kind,
    Remove,
    Diagnosis,
    VerdictRootCause,
    VerdictHealthy,
    VerdictNeedEvidence,
    NotChecked,
    RootCause,
    Evidence,
    EvidenceHint,
    Fix,
    Copy,
    Copied,
    Explains,
    NextStep,
    NextHint,
    Flowchart,
    FlowchartHint,
    ProblemByName,
    ProblemByIp,
    StepDetails,
    NoFindings,
    OtherFindings,
    Export,
    ExportMarkdown,
    ExportJson,
    Diagnosing,
    AskAbout,
    AsFound,
    About,
    Privacy,
    Share,
    ShareWarning,
    StateQuestion,
    StatedByYou,
    Yes,
    No,
    Forget,
    ReadSummary,
    Previous,
    Next,
    Find,
    NotFound,
    GuessFirst,
    GuessQuestion,
    GuessCheck,
    GuessRight,
    GuessWrong,
    Output,
    CitedBy,
    CopyReport,
    Print,
    ExampleTutorial,
    ExampleTutorialNext,
    StartOwn,
    ExampleMixed,
    RemoveExample,
    Replaced,
    Undo,
    SkipToDiagnosis,
    Title,
    ReadProblems,
    ReadProblem,
    ShareFailed,
    MaskedPreview,
    LongLink,
    Close,
    CopyMarkdown,
    CopyJson,
    AddOutput,
    AddOutputLabel,
    Add,
    Collector,
    CollectorHint,
    LargeSummary,
    LargeShowing,
    LargeEdit,
    LargeEditWarning,
    FileTooLarge,
    FileBinary,
    FileNotUtf8,
    PasteTooLarge,
    Redact,
    RedactHint,
    RedactNote,
    StorageUnavailable,
    SavedOldFormat,
    SavedUnreadable,
    SaveFailedLocal,
    SaveFailed,
    RestoreFailed,
    ShareDamaged,
    ShareNotState,
}

pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    let text = match msg {
        Tagline => svcdoctor_engine::text!("Why does my Kubernetes Service not answer?", "为什么我的 Kubernetes Service 无法访问？"),
        PasteTitle => svcdoctor_engine::text!("What your cluster printed", "集群的输出"),
        PasteHint => svcdoctor_engine::text!("Paste kubectl output, YAML or JSON, nslookup, curl, iptables-save … with the prompts and command lines, or drop files here.", "粘贴 kubectl 输出、YAML 或 JSON、nslookup、curl、iptables-save 等，最好带上提示符和命令行；也可以把文件拖到这里。"),
        PasteLabel => svcdoctor_engine::text!("Pasted cluster output", "粘贴的集群输出"),
        AddFile => svcdoctor_engine::text!("Add files…", "添加文件…"),
        DropHere => svcdoctor_engine::text!("Drop the files to add them", "松开即可添加文件"),
        Clear => svcdoctor_engine::text!("Clear", "清空"),
        ClearConfirm => svcdoctor_engine::text!("Clear everything you pasted?", "清空所有已粘贴的内容？"),
        ReplaceConfirm => svcdoctor_engine::text!(
            "Replace what you pasted with this practice case? Your text is not kept.",
            "用这个练习案例替换你粘贴的内容吗？你的文本不会保留。"
        ),
        Examples => svcdoctor_engine::text!("Practice", "练习"),
        ExamplesHint => svcdoctor_engine::text!("A broken cluster to diagnose", "选一个有故障的集群来诊断"),
        ExamplePick => svcdoctor_engine::text!("Load a practice case…", "加载练习案例…"),
        Language => svcdoctor_engine::text!("Language", "语言"),
        Via => svcdoctor_engine::text!("The client reaches the Service", "客户端访问 Service 的方式"),
        ViaInferred => svcdoctor_engine::text!("as inferred", "自动推断"),
        Outputs => svcdoctor_engine::text!("Outputs found", "识别出的输出"),
        OutputsNone => svcdoctor_engine::text!("Nothing pasted yet.", "尚未粘贴任何内容。"),
        Kind => svcdoctor_engine::text!("Kind", "类型"),
        Remove => svcdoctor_engine::text!("Remove", "删除"),
        Diagnosis => svcdoctor_engine::text!("Diagnosis", "诊断"),
        VerdictRootCause => svcdoctor_engine::text!("Root cause found", "已找到根因"),
        VerdictHealthy => svcdoctor_engine::text!("Healthy: every step with evidence passes", "正常：所有有证据的步骤都通过"),
        VerdictNeedEvidence => svcdoctor_engine::text!("Nothing wrong found yet: more evidence needed", "暂未发现问题：需要更多证据"),
        NotChecked => svcdoctor_engine::text!("Not checked (no evidence)", "未检查（缺少证据）"),
        RootCause => svcdoctor_engine::text!("Root cause", "根因"),
        Evidence => svcdoctor_engine::text!("Evidence", "证据"),
        EvidenceHint => svcdoctor_engine::text!("Click to see the lines in the paste", "点击可在粘贴内容中定位这些行"),
        Fix => svcdoctor_engine::text!("Fix", "修复"),
        Copy => svcdoctor_engine::text!("Copy", "复制"),
        Copied => svcdoctor_engine::text!("Copied", "已复制"),
        Explains => svcdoctor_engine::text!("Also explains", "同时解释了"),
        NextStep => svcdoctor_engine::text!("Next step", "下一步"),
        NextHint => svcdoctor_engine::text!("Run this and paste its output below the rest.", "运行这条命令，并把输出粘贴到已有内容后面。"),
        Flowchart => svcdoctor_engine::text!("Troubleshooting flowchart", "排查流程图"),
        FlowchartHint => svcdoctor_engine::text!("Click a step to see what it checked.", "点击步骤查看检查内容。"),
        ProblemByName => svcdoctor_engine::text!("Problem 1: by Service name", "问题 1：通过 Service 名称访问"),
        ProblemByIp => svcdoctor_engine::text!("Problem 2: by Service IP", "问题 2：通过 Service IP 访问"),
        StepDetails => svcdoctor_engine::text!("Step", "步骤"),
        NoFindings => svcdoctor_engine::text!("No finding for this step.", "这一步没有发现问题。"),
        OtherFindings => svcdoctor_engine::text!("Other findings", "其他发现"),
        Export => svcdoctor_engine::text!("Export", "导出"),
        ExportMarkdown => svcdoctor_engine::text!("Markdown", "Markdown"),
        ExportJson => svcdoctor_engine::text!("JSON", "JSON"),
        Diagnosing => svcdoctor_engine::text!("Diagnosing…", "正在诊断…"),
        AskAbout => svcdoctor_engine::text!("Ask about", "排查对象"),
        AsFound => svcdoctor_engine::text!("the Service the evidence names", "证据指向的 Service"),
        About => svcdoctor_engine::text!("About", "对象"),
                Privacy => svcdoctor_engine::text!("Runs in your browser: nothing you paste leaves this page. Once loaded, it works offline.", "完全在浏览器中运行：粘贴的内容不会离开此页面。加载一次之后可离线使用。"),
        Title => svcdoctor_engine::text!("svcdoctor: why does my Service not answer?", "svcdoctor：为什么我的 Service 无法访问？"),
        ReadProblems => svcdoctor_engine::text!("{n} of the outputs could not be read in full:", "有 {n} 段输出未能完整读取："),
        ReadProblem => svcdoctor_engine::text!("1 output could not be read in full:", "有 1 段输出未能完整读取："),
        Share => svcdoctor_engine::text!("Share link", "分享链接"),
        ShareFailed => svcdoctor_engine::text!("No share link could be made ({problem}). Export the report as a file instead.", "无法生成分享链接（{problem}）。请改为把报告导出为文件。"),
        MaskedPreview => svcdoctor_engine::text!("The masked text the link holds", "链接中包含的已隐藏文本"),
        LongLink => svcdoctor_engine::text!("This link is {n} characters long: chat and mail programs often cut or refuse links this long. A file is safer:", "该链接长达 {n} 个字符：聊天和邮件程序常会截断或拒收这么长的链接。用文件更稳妥："),
        SkipToDiagnosis => svcdoctor_engine::text!("Skip to the diagnosis", "跳到诊断结果"),
        ExampleTutorial => svcdoctor_engine::text!("An example: the tutorial's healthy cluster", "示例：教程中工作正常的集群"),
        ExampleTutorialNext => svcdoctor_engine::text!("every step with evidence passes. Paste your own output to diagnose it, or load a practice case.", "每个有证据的步骤都通过了。粘贴你自己的输出来诊断，或者加载一个练习案例。"),
        StartOwn => svcdoctor_engine::text!("Start with my own output", "改用我自己的输出"),
        ExampleMixed => svcdoctor_engine::text!("Your paste still holds the example's lines: its findings mix with yours.", "粘贴内容里仍有示例的行：示例的结论会和你的混在一起。"),
        RemoveExample => svcdoctor_engine::text!("Remove the example", "删除示例"),
        Replaced => svcdoctor_engine::text!("The text was replaced.", "文本已被替换。"),
        Undo => svcdoctor_engine::text!("Undo (Ctrl+Z)", "撤销（Ctrl+Z）"),
        Print => svcdoctor_engine::text!("Print", "打印"),
        CopyReport => svcdoctor_engine::text!("Copy the report", "复制报告"),
        Output => svcdoctor_engine::text!("output", "输出"),
        CitedBy => svcdoctor_engine::text!("cited by", "被引用于"),
        GuessFirst => svcdoctor_engine::text!("Guess first", "先猜一猜"),
        GuessQuestion => svcdoctor_engine::text!("Which step of the flowchart fails? Read the paste, then guess:", "流程图的哪一步失败了？先读一读粘贴的内容，再猜："),
        GuessCheck => svcdoctor_engine::text!("Check my guess", "核对我的答案"),
        GuessRight => svcdoctor_engine::text!("Your guess, {step}, is right.", "你猜的 {step} 是对的。"),
        GuessWrong => svcdoctor_engine::text!("Your guess was {step}; the failing step is {answer}.", "你猜的是 {step}；实际失败的步骤是 {answer}。"),
        Previous => svcdoctor_engine::text!("◀ Previous", "◀ 上一页"),
        Next => svcdoctor_engine::text!("Next ▶", "下一页 ▶"),
        Find => svcdoctor_engine::text!("Find", "查找"),
        NotFound => svcdoctor_engine::text!("Not found", "未找到"),
        ReadSummary => svcdoctor_engine::text!("Read from the paste: {counts}.", "从粘贴内容中读到：{counts}。"),
        StateQuestion => svcdoctor_engine::text!("No output at hand? Answer from what you know: does it hold?", "手头没有输出？根据你所知道的回答：这一步成立吗？"),
        StatedByYou => svcdoctor_engine::text!("Stated by you: {answer}. The walk counts it, marked as yours, not as evidence.", "由你陈述：{answer}。诊断会计入这个回答，并标明它来自你而不是证据。"),
        Yes => svcdoctor_engine::text!("yes", "是"),
        No => svcdoctor_engine::text!("no", "否"),
        Forget => svcdoctor_engine::text!("Forget my answer", "撤回我的回答"),
        ShareWarning => svcdoctor_engine::text!("This link contains everything you pasted (in the part after #, which browsers never send to a server). Check it holds nothing secret before you share it.", "该链接包含你粘贴的全部内容（位于 # 之后，浏览器不会把这部分发送给服务器）。分享前请确认其中没有敏感信息。"),
                Close => svcdoctor_engine::text!("Close", "关闭"),
        CopyMarkdown => svcdoctor_engine::text!("Copy Markdown", "复制 Markdown"),
        CopyJson => svcdoctor_engine::text!("Copy JSON", "复制 JSON"),
        AddOutput => svcdoctor_engine::text!("Add one more output", "再添加一段输出"),
        AddOutputLabel => svcdoctor_engine::text!("Another output to add below the paste", "要追加到粘贴内容后面的另一段输出"),
                Add => svcdoctor_engine::text!("Add", "添加"),
        Collector => svcdoctor_engine::text!("Collect everything at once: collect.sh", "一次收集全部证据：collect.sh"),
        CollectorHint => svcdoctor_engine::text!("A read-only script: sh collect.sh -n NAMESPACE SERVICE --client POD > bundle.txt, then drop bundle.txt here.", "只读脚本：sh collect.sh -n 命名空间 SERVICE --client POD > bundle.txt，然后把 bundle.txt 拖到这里。"),
        LargeSummary => svcdoctor_engine::text!("{size} MB, {lines} lines: shown here in part, so that the page stays responsive. The whole text is diagnosed, saved and exported.", "{size} MB，共 {lines} 行：为保持页面流畅，这里只显示一部分。诊断、保存和导出都使用全部内容。"),
        LargeShowing => svcdoctor_engine::text!("Lines {first}–{last}", "第 {first}–{last} 行"),
        LargeEdit => svcdoctor_engine::text!("Edit as text", "作为文本编辑"),
        LargeEditWarning => svcdoctor_engine::text!("Editing a text this large in the browser can freeze the page for seconds. Continue?", "在浏览器中编辑这么大的文本可能会让页面卡住几秒钟。继续吗？"),
        FileTooLarge => svcdoctor_engine::text!("{file} was not added: it is {n} MB, and the page takes up to {max} MB. Filter it first (for example iptables-save | grep SERVICE), or give it to the svcdoctor CLI.", "未添加 {file}：文件有 {n} MB，页面最多接受 {max} MB。请先过滤（例如 iptables-save | grep SERVICE），或交给 svcdoctor 命令行工具。"),
        FileBinary => svcdoctor_engine::text!("{file} was not added: it holds NUL bytes, so it is not text output.", "未添加 {file}：文件含有 NUL 字节，不是文本输出。"),
        FileNotUtf8 => svcdoctor_engine::text!("{file} is not valid UTF-8: {n} invalid byte sequences were replaced by �.", "{file} 不是有效的 UTF-8：{n} 处无效字节序列已替换为 �。"),
        PasteTooLarge => svcdoctor_engine::text!("The paste was not taken: it is {n} MB, and the page takes up to {max} MB. Filter the output first (for example iptables-save | grep SERVICE), or give it to the svcdoctor CLI.", "未接受粘贴：内容有 {n} MB，页面最多接受 {max} MB。请先过滤输出（例如 iptables-save | grep SERVICE），或交给 svcdoctor 命令行工具。"),
        Redact => svcdoctor_engine::text!("Mask IPs and names", "隐藏 IP 和名称"),
        RedactHint => svcdoctor_engine::text!("Share links and exports get addresses and the names of Services, workloads, pods, namespaces, nodes and labels masked, the same way everywhere, so the diagnosis stays the same.", "分享链接和导出内容中的地址，以及 Service、工作负载、Pod、命名空间、节点和标签的名称都会被一致地替换，诊断结果不变。"),
        RedactNote => svcdoctor_engine::text!("Masked: {addresses} addresses and {names} names. Ports, structure and word lengths remain; read it before you share it.", "已隐藏 {addresses} 个地址和 {names} 个名称。端口、结构和词长仍然保留；分享前请再检查一遍。"),
        StorageUnavailable => svcdoctor_engine::text!("local storage is not available: the input will not survive a reload", "本地存储不可用：重新加载页面后输入内容将丢失"),
        SavedOldFormat => svcdoctor_engine::text!("the saved input was in an older or damaged format ({problem}): its text was restored, its settings were reset; the original is kept in local storage under {key}", "保存的输入格式较旧或已损坏（{problem}）：已恢复其文本，设置已重置；原始数据保留在本地存储的 {key} 下"),
        SavedUnreadable => svcdoctor_engine::text!("the saved input could not be read ({problem}); it is kept in local storage under {key}", "无法读取保存的输入（{problem}）；它保留在本地存储的 {key} 下"),
        SaveFailedLocal => svcdoctor_engine::text!("the input could not be saved in local storage (full, or disabled): copy it before you close the page", "无法把输入保存到本地存储（已满或被禁用）：关闭页面前请先复制"),
        SaveFailed => svcdoctor_engine::text!("the input could not be saved ({problem}): copy it before you close the page", "无法保存输入（{problem}）：关闭页面前请先复制"),
        RestoreFailed => svcdoctor_engine::text!("the saved input could not be read back ({problem})", "无法读回保存的输入（{problem}）"),
        ShareDamaged => svcdoctor_engine::text!("the share link is damaged ({problem})", "分享链接已损坏（{problem}）"),
        ShareNotState => svcdoctor_engine::text!("the share link holds no svcdoctor state ({problem})", "分享链接中没有 svcdoctor 的状态（{problem}）"),
    };
    text.get(lang)
}

/// A message with its `{name}` placeholders filled in.
pub fn fill(lang: Lang, msg: Msg, values: &[(&str, &str)]) -> String {
    let mut rest = t(lang, msg);
    let mut out = String::with_capacity(rest.len() + 32);
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        match values.iter().find(|(name, _)| *name == &after[..close]) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[open..(open + close + 2).min(rest.len())]),
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    t(
        lang,
        match v {
            Verdict::RootCause => Msg::VerdictRootCause,
            Verdict::Healthy => Msg::VerdictHealthy,
            Verdict::NeedEvidence => Msg::VerdictNeedEvidence,
        },
    )
}

pub fn status(lang: Lang, s: StepStatus) -> &'static str {
    let text = match s {
        StepStatus::Pass => svcdoctor_engine::text!("pass", "通过"),
        StepStatus::Fail => svcdoctor_engine::text!("fail", "失败"),
        StepStatus::Warn => svcdoctor_engine::text!("warn", "警告"),
        StepStatus::Unknown => svcdoctor_engine::text!("no evidence", "缺少证据"),
        StepStatus::NotApplicable => svcdoctor_engine::text!("n/a", "不适用"),
    };
    text.get(lang)
}

pub fn severity(lang: Lang, s: Severity) -> &'static str {
    let text = match s {
        Severity::Error => svcdoctor_engine::text!("error", "错误"),
        Severity::Warning => svcdoctor_engine::text!("warning", "警告"),
        Severity::Info => svcdoctor_engine::text!("info", "提示"),
    };
    text.get(lang)
}

pub fn via(lang: Lang, v: Via) -> &'static str {
    let text = match v {
        Via::Name => svcdoctor_engine::text!("by name", "通过名称"),
        Via::ClusterIp => svcdoctor_engine::text!("by cluster IP", "通过集群 IP"),
        Via::NodePort => {
            svcdoctor_engine::text!("by NodePort / LoadBalancer", "通过 NodePort / LoadBalancer")
        }
        Via::Hairpin => {
            svcdoctor_engine::text!("a pod through its own Service", "Pod 通过自己的 Service")
        }
    };
    text.get(lang)
}

/// What an output was read into, counted, in words: "1,000 Services
/// (kube-proxy rules), 3,000 endpoints".
pub fn counts(lang: Lang, read: &[svcdoctor_engine::report::Count]) -> String {
    use svcdoctor_engine::report::Counted as C;
    read.iter()
        .map(|c| {
            let what = match c.what {
                C::Services => svcdoctor_engine::text!("Services", "个 Service"),
                C::Workloads => svcdoctor_engine::text!("workloads", "个工作负载"),
                C::Pods => svcdoctor_engine::text!("pods", "个 Pod"),
                C::Endpoints => svcdoctor_engine::text!("endpoints", "个端点"),
                C::ProxyServices => {
                    svcdoctor_engine::text!("Services in proxy rules", "个代理规则中的 Service")
                }
                C::VirtualServers => {
                    svcdoctor_engine::text!("IPVS virtual servers", "个 IPVS 虚拟服务器")
                }
                C::Lookups => svcdoctor_engine::text!("DNS lookups", "次 DNS 查询"),
                C::Probes => svcdoctor_engine::text!("probes", "次访问测试"),
                C::Events => svcdoctor_engine::text!("events", "个事件"),
            };
            let sep = if lang == Lang::Zh { "" } else { " " };
            format!("{}{sep}{}", c.n, what.get(lang))
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "，" } else { ", " })
}

/// An output kind in words, in the page's language (the menus' values stay
/// the report's kind names).
pub fn kind(lang: Lang, kind: svcdoctor_engine::ArtifactKind) -> &'static str {
    use svcdoctor_engine::ArtifactKind as K;
    let text = match kind {
        K::K8sObjects => svcdoctor_engine::text!(
            "Kubernetes objects (YAML, JSON)",
            "Kubernetes 对象（YAML、JSON）"
        ),
        K::KubectlTable => svcdoctor_engine::text!("kubectl get table", "kubectl get 表格"),
        K::KubectlDescribe => svcdoctor_engine::text!("kubectl describe", "kubectl describe"),
        K::KubectlError => svcdoctor_engine::text!("kubectl error", "kubectl 错误"),
        K::Resolv => svcdoctor_engine::text!("resolv.conf", "resolv.conf"),
        K::Nslookup => svcdoctor_engine::text!("nslookup", "nslookup"),
        K::Dig => svcdoctor_engine::text!("dig", "dig"),
        K::HttpProbe => svcdoctor_engine::text!("curl, wget, nc probe", "curl、wget、nc 探测"),
        K::ProcessList => svcdoctor_engine::text!("process list (ps)", "进程列表（ps）"),
        K::Sockets => {
            svcdoctor_engine::text!("listening sockets (ss, netstat)", "监听端口（ss、netstat）")
        }
        K::KubeProxyLogs => svcdoctor_engine::text!("kube-proxy log", "kube-proxy 日志"),
        K::CorednsLogs => svcdoctor_engine::text!("CoreDNS log", "CoreDNS 日志"),
        K::Iptables => svcdoctor_engine::text!("iptables rules", "iptables 规则"),
        K::Ipvs => svcdoctor_engine::text!("IPVS table (ipvsadm)", "IPVS 表（ipvsadm）"),
        K::Nftables => svcdoctor_engine::text!("nftables ruleset", "nftables 规则集"),
        K::Kubelet => svcdoctor_engine::text!("kubelet settings", "kubelet 配置"),
        K::Cilium => svcdoctor_engine::text!(
            "Cilium and Hubble (status, services, flows)",
            "Cilium 与 Hubble（状态、服务、流量）"
        ),
        K::Conntrack => {
            svcdoctor_engine::text!("connection tracking (conntrack)", "连接跟踪表（conntrack）")
        }
        K::NodeSettings => svcdoctor_engine::text!(
            "node kernel settings (sysctl, lsmod)",
            "节点内核设置（sysctl、lsmod）"
        ),
        K::Unknown => svcdoctor_engine::text!("not recognised", "未识别"),
    };
    text.get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let text = fill(
            Lang::En,
            Msg::LargeShowing,
            &[("first", "1"), ("last", "200")],
        );
        assert_eq!(text, "Lines 1–200");
        let zh = fill(Lang::Zh, Msg::LargeShowing, &[("first", "3")]);
        assert_eq!(zh, "第 3–{last} 行");
    }
}
