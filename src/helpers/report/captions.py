"""The words of the figures, their captions and the figure index, in Chinese and in English.

Each caption states the method and its limits; the numbers in it come from the tables
(``{placeholders}`` filled by :func:`helpers.report.figures.build_all_figures`). One
language per artefact: the Chinese texts use no English words but proper names
(jieba, Haberman, Dirichlet, Monroe, Colaresi & Quinn) and statistical symbols, the
English texts no Chinese characters.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "no_data": "没有数据",
        "fig01.title": "语料概况：各地区-时段的文档、句子与数量表述",
        "fig01.caption": (
            "每个地区-时段（省份 · 疫情时段）的文档数、正文句子数与抽取的数量表述数。地区取句子所在段落的省份，"
            "时段按文档判定（{basis}）。一篇文档可覆盖多个地区，因此各行文档数之和可大于文档总数。"
            "文档状态：{status}。未定位 = 文本未指明省份的内容。"
        ),
        "fig01.duplicates_none": "没有文档是其他文档的重复（精确或近似重复）。",
        "fig01.duplicates": "{n} 篇文档是另外 {stories} 篇的重复（精确或近似重复），{counted}。",
        "fig01.duplicates_left_out": "未计入，每个报道只计一次",
        "fig01.duplicates_counted": "照样计入",
        "fig01.documents": "文档 (篇)",
        "fig01.sentences": "正文句子 (句)",
        "fig01.quantities": "数量表述 (条)",
        "count": "{label} {n} 篇",
        "list_sep": "，",
        "fig02.title": "各地区-时段的主要数字（报道中的最大值，不加总）",
        "fig02.caption": (
            "每格为一个指标，点为该地区-时段所有文档中报道的最大数字（单位见横轴，每个数字按其数量级写出，如 2,700万；"
            "最大值超过最小值 100 倍的指标用对数刻度）。同一省份在不同时段各占一行，行名标出时段，点的形状与颜色也区分时段（黑白打印可辨）。"
            "报道数字多为累计且相互重叠，因此从不相加：每篇文档取其最大值，文档之间并列比较、取最大者显示。≥ = 余/多，≈ = 约，< = 近/不足；"
            "* = 不同文档的数字相差超过 10%（共 {n_disagree} 处）。省级数字取该省任一地点报道的最大值（市级数字是全省的下限）。"
            "数字是自我报告的宣传口径，未经核实；缺失的点表示未报道，而非为零。"
        ),
        "fig02.legend": "时段",
        "fig02.log": "，对数刻度",
        "fig03.title": "各省活动类型：卡方检验的调整后标准化残差",
        "fig03.caption": (
            "行 = 活动编码（编码手册），列 = 省份。颜色为调整后标准化残差（Haberman；红 = 多于独立假设的期望，"
            "蓝 = 少于期望，|r| > 1.96 约为 5% 水平，这些格加黑框），格内数字为含该活动的句子占该省句子的比例。{chi}。"
            "注意：{note}编码由词典规则自动标注，不是人工编码；各省句子数差异很大。"
        ),
        "fig03.note_sparse": "{below}/{cells} 格（{share}）期望频数 < 5（最小 {smallest}），卡方近似不可靠，残差仅作描述；",
        "fig03.note_codes": "一个句子带多个活动编码时按每个编码各计一次，计数并非相互独立的观测。",
        "fig03.no_test": "非空的行或列少于两个，不作检验。",
        "fig03.colorbar": "调整后标准化残差",
        "fig03.inset": "{chi}。格内数字 = 含该活动的句子占该地区句子的比例（黑框：|残差| > 1.96）。",
        "fig03.inset_sparse": " {below}/{cells} 格期望频数 < 5，检验仅作描述。",
        "fig04.title": "各省参与组织的类型构成",
        "fig04.caption": (
            "每省提及的不同组织（按名称去重）中各类型所占比例（%），n 为不同组织数。类型由组织名称后缀规则判定"
            "（编码手册的 {n_types} 类）。报道倾向于点名大型或官方背景的组织，构成反映报道而非全部参与者；n 小的省份比例不稳定。"
        ),
        "fig04.xlabel": "占该地区不同组织数的比例 (%)",
        "fig05.title": "各省的特色词（加权对数优势比）",
        "fig05.caption": (
            "每省与其他省份合并相比最具特色的词：jieba 分词（去停用词、数字、标点、单字与数量词残片），"
            "加权对数优势比 + 语料整体计数作为信息性 Dirichlet 先验（Monroe, Colaresi & Quinn 2008），"
            "横轴为 z 分数{line}，条形旁数字为该词在该省的出现次数。只保留在该省出现至少 2 次的词；"
            "地名（省、市、县级的全称与简称）不参与比较（它们只说明报道的地点）。语料小，特色词受单篇报道的写法影响很大。"
        ),
        "fig05.line": "，虚线为 1.96",
        "fig05.xlabel": "z 分数 (加权对数优势比)",
        "index.title": "图表索引",
        "index.intro": (
            "由 `helpers.report.citations.write_figure_index` 生成，请勿手工编辑。每幅图由 `helpers.report.figures` "
            "中的一个函数根据 `build/` 中的表格绘制；同名 `.csv` 即所绘数据，下列 sha256 标识该数据。"
        ),
        "index.figure": "图 {number}：{title}",
        "index.files": "文件",
        "index.made_by": "生成",
        "index.sha": "数据 sha256",
        "index.reproducible": "图表的可复现依据",
        "index.reproducible_intro": (
            "同一研究版本、同一语料与同一锁定环境逐字节重现这些图（`make run`）。引用图表时请注明版本与语料摘要"
            "（见 `README.md`）。"
        ),
        "index.version": "研究版本：`{version}`（`helpers.__version__`，`CITATION.cff`）",
        "index.corpus": (
            "语料摘要：`{digest}`（{files} 个文件，{size} 字节；将每个文件的 `relpath<TAB>sha256<LF>` 行排序后，"
            "对其 `UTF-8` 文本计算 sha256；各文件的 sha256 见 `build/run_record.json`）"
        ),
        "index.environment": "运行环境：`{lock_file}`，sha256 `{lock_sha256}`；{state}",
        "index.env_exact": "已安装的软件包与锁定文件完全一致",
        "index.env_differs": "已安装的软件包与锁定文件不一致（详见 `build/run_record.json`）",
        "index.env_none": "运行环境：没有锁定文件，无法确定",
        "index.parameters": (
            "参数：`corpus_dir = {corpus}`，`labels = {labels}`；构建与图表文件夹及执行引擎不改变图的内容"
            "（均记录于 `build/run_record.json`）"
        ),
        "report.title": "社会组织参与新冠疫情防控：各地区比较的文本挖掘研究报告",
        "report.findings": "主要发现",
        "report.figures": "图表",
        "report.provenance": "主要数字的来源",
        "report.provenance_link": "每篇文档的数字及其文档编号、句子编号与字符位置见 [provenance.csv](provenance.csv)。",
    },
    "en": {
        "no_data": "No data",
        "fig01.title": "The corpus: documents, sentences and quantity mentions per region and period",
        "fig01.caption": (
            "Documents, body sentences and extracted quantity mentions per region and period (province · outbreak "
            "period). The region is the province of the sentence's section; the period is decided per document "
            "({basis}). A document can cover several regions, so the rows' documents can add up to more than the "
            "corpus holds. Documents: {status}. Not placed = text that names no province."
        ),
        "fig01.duplicates_none": " No document is a copy of another (exact or near duplicate).",
        "fig01.duplicates": " Documents that copy another report (exact or near duplicates): {n}, of {stories} stories; {counted}.",
        "fig01.duplicates_left_out": "they are left out, each story counted once",
        "fig01.duplicates_counted": "they are counted too",
        "fig01.documents": "Documents",
        "fig01.sentences": "Body sentences",
        "fig01.quantities": "Quantity mentions",
        "count": "{n} {label}",
        "list_sep": ", ",
        "fig02.title": "Headline figures per region and period (the largest reported, never summed)",
        "fig02.caption": (
            "One panel per measure; each dot is the largest figure any document reports for the region and period "
            "(unit on the axis; each figure is written in words of its magnitude, such as 27 million; measures "
            "whose largest figure is over 100 times the smallest use a log scale). A province reported in two periods "
            "has a row for each, labelled with the period; marker shape and colour also tell the periods apart "
            "(readable in greyscale). Reported figures are mostly cumulative and overlap, so they are never "
            "summed: each document's largest figure is taken and documents are compared, the largest shown. "
            "≥ = over, ≈ = about, < = nearly or under; * = documents differ by more than 10% ({n_disagree} "
            "cells). A province's figure is the largest reported for any place in it (a city's figure is a lower "
            "bound for its province). Figures are self-reported publicity, not verified; a missing dot means not "
            "reported, not zero."
        ),
        "fig02.legend": "Period",
        "fig02.log": ", log scale",
        "fig03.title": "Activities by province: adjusted standardized residuals of a chi-square test",
        "fig03.caption": (
            "Rows = activity codes (codebook), columns = provinces. Colour is the adjusted standardized residual "
            "(Haberman; red = more sentences with the activity than independence predicts, blue = fewer; "
            "|r| > 1.96 is about the 5% level, and those cells are framed); the number in a cell is the share of "
            "the province's sentences that carry the activity. {chi}. Caution: {note}Codes are given by dictionary "
            "rules, not by human coders; provinces differ widely in their numbers of sentences."
        ),
        "fig03.note_sparse": "{below} of {cells} cells ({share}) have expected counts below 5 (smallest {smallest}): the chi-square approximation is unreliable, read the residuals as descriptive; ",
        "fig03.note_codes": "a sentence with several activity codes counts once per code, so the counts are not independent observations. ",
        "fig03.no_test": "fewer than two non-empty rows or columns: no test. ",
        "fig03.colorbar": "Adjusted standardized residual",
        "fig03.inset": "{chi}. Cell numbers = share of the region's sentences with the activity (framed: |residual| > 1.96).",
        "fig03.inset_sparse": " {below}/{cells} cells have expected counts below 5: the test is descriptive only.",
        "fig04.title": "Types of the organizations taking part, by province",
        "fig04.caption": (
            "Share (%) of each type among the distinct organizations (deduplicated by name) named in each "
            "province; n is the number of distinct organizations. Types are decided by rules on the suffix of "
            "the name (the codebook's {n_types} types). Reports tend to name large or officially backed "
            "organizations, so the composition describes the reporting, not every participant; shares of "
            "provinces with a small n are unstable."
        ),
        "fig04.xlabel": "Share of the province's distinct organizations (%)",
        "fig05.title": "Distinctive terms of each province (weighted log-odds ratio)",
        "fig05.caption": (
            "The terms most distinctive of each province against all other provinces together: jieba "
            "segmentation (stopwords, numbers, punctuation, single characters and fragments of quantities "
            "removed), weighted log-odds ratio with the corpus counts as an informative Dirichlet prior (Monroe, "
            "Colaresi & Quinn 2008); the axis is the z-score{line}, and the number beside a bar is the term's "
            "count in the province. Only terms found at least twice in the province are kept; place names "
            "(provinces, cities and counties, full and short forms) are left out, since they only say where a "
            "report is from. The terms are shown as written, in Chinese. The corpus is small: a single report's "
            "wording weighs heavily."
        ),
        "fig05.line": ", the dashed line marks 1.96",
        "fig05.xlabel": "z-score (weighted log-odds ratio)",
        "index.title": "Figure index",
        "index.intro": (
            "Generated by `helpers.report.citations.write_figure_index`; do not edit by hand. Each figure is "
            "drawn by a function in `helpers.report.figures` from the tables in `build/`; its `.csv` holds "
            "exactly the data drawn, and the sha256 below identifies that data."
        ),
        "index.figure": "Figure {number}: {title}",
        "index.files": "files",
        "index.made_by": "made by",
        "index.sha": "data sha256",
        "index.reproducible": "What makes these figures reproducible",
        "index.reproducible_intro": (
            "The same study version, corpus and locked environment draw these figures byte for byte "
            "(`make run`). With a figure, cite the version and the corpus digest (`README.md`: How to cite)."
        ),
        "index.version": "study version: `{version}` (`helpers.__version__`, `CITATION.cff`)",
        "index.corpus": (
            "corpus digest: `{digest}` ({files} files, {size} bytes; sha256 of the sorted lines "
            "`relpath<TAB>sha256<LF>` of the corpus files, in `UTF-8`; every file with its sha256 in "
            "`build/run_record.json`)"
        ),
        "index.environment": "environment: `{lock_file}`, sha256 `{lock_sha256}`; {state}",
        "index.env_exact": "the installed packages are exactly the lock's",
        "index.env_differs": "the installed packages differ from the lock (see `build/run_record.json`)",
        "index.env_none": "environment: no lock file, not known",
        "index.parameters": (
            "parameters: `corpus_dir = {corpus}`, `labels = {labels}`; the build and figures folders and the "
            "engine do not change what is drawn (all in `build/run_record.json`)"
        ),
        "report.title": "Social organizations in China's COVID-19 prevention: a text-mining study across regions",
        "report.findings": "Findings",
        "report.figures": "Figures",
        "report.provenance": "Where each headline number comes from",
        "report.provenance_link": "Every document's figure, with document and sentence ids and character spans: [provenance.csv](provenance.csv).",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, its placeholders filled from ``values``."""
    return TEXTS[language][key].format(**values)
