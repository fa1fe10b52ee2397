"""The web pages' words, in Chinese (the default) and English: one small dict, no i18n framework.

``TEXT`` holds the interface; ``ERRORS`` translates the services' stable error codes, so a field error
reads in the chosen language even though the services' own messages are English.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

TEXT: dict[str, dict[str, str]] = {
    # --- Frame ---------------------------------------------------------------------------------------------
    "site.name": {"zh": "失信被执行人名单查询", "en": "Dishonest Judgment Debtor List"},
    "site.owner": {"zh": "人民法院执行信息公开", "en": "People's courts · enforcement information"},
    "skip": {"zh": "跳到主要内容", "en": "Skip to main content"},
    "nav.label": {"zh": "主导航", "en": "Main navigation"},
    "nav.search": {"zh": "公开查询", "en": "Public search"},
    "nav.self_check": {"zh": "自查与申请纠正", "en": "Check yourself and apply for correction"},
    "lang.switch": {"zh": "English", "en": "中文"},
    "lang.switch_label": {"zh": "Switch to English", "en": "切换到中文"},
    "footer.privacy": {
        "zh": "查询会被记录（不保存您输入的证件号码明文），以防名单被批量抓取。",
        "en": "Searches are logged (without your ID number in clear) so the list cannot be scraped.",
    },
    "footer.api": {"zh": "开发者接口文档", "en": "API documentation for developers"},
    "required": {"zh": "（必填）", "en": "(required)"},
    "optional": {"zh": "（选填）", "en": "(optional)"},
    "errors.title": {"zh": "请更正以下问题", "en": "There is a problem"},
    "errors.prefix": {"zh": "错误：", "en": "Error: "},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "none": {"zh": "无", "en": "None"},
    # --- Home and public search -----------------------------------------------------------------------------
    "home.title": {"zh": "失信被执行人名单", "en": "The dishonest judgment debtor list"},
    "home.intro": {
        "zh": "人民法院依法将有履行能力而拒不履行生效法律文书确定义务等情形的被执行人纳入失信被执行人名单，"
        "并向社会公布。这里可以按姓名或名称查询正在公布的记录。个人的身份证号码只显示部分数字。",
        "en": "Courts put on this list debtors who, among other things, can pay what a judgment orders and "
        "refuse to, and publish it. Search here by name for the records currently published. A person's ID "
        "number is shown only in part.",
    },
    "home.self_check_hint": {
        "zh": "想知道自己是否在名单上、为什么、如何移出，或者认为名单有误？",
        "en": "Want to know whether you are listed, why, and how to get off it, or think an entry is wrong?",
    },
    "home.self_check_link": {
        "zh": "查询本人记录并申请纠正",
        "en": "Check your own records and apply for correction",
    },
    "search.heading": {"zh": "公开查询", "en": "Search the list"},
    "search.name": {"zh": "被执行人姓名或名称", "en": "Name of the person or organisation"},
    "search.name_hint": {"zh": "须填写完整姓名或名称", "en": "The exact full name"},
    "search.id_number": {"zh": "身份证号码或组织机构代码", "en": "ID number or organisation code"},
    "search.id_number_hint": {
        "zh": "可填写完整号码，或公布的部分隐去的号码（如 3604261991****0071）",
        "en": "Full, or masked as published (e.g. 3604261991****0071)",
    },
    "search.province": {"zh": "执行法院所在省份", "en": "Province of the court"},
    "search.any_province": {"zh": "全部省份", "en": "All provinces"},
    "search.submit": {"zh": "查询", "en": "Search"},
    "search.results": {"zh": "查询结果", "en": "Results"},
    "search.count": {"zh": "共找到 {total} 条正在公布的记录", "en": "{total} published record(s) found"},
    "search.none": {
        "zh": "没有找到正在公布的记录。名单只公布姓名或名称完全一致的在列记录。",
        "en": "No published record found. Only active entries with exactly this name are shown.",
    },
    "search.page": {"zh": "第 {page} 页，共 {pages} 页", "en": "Page {page} of {pages}"},
    "search.previous": {"zh": "上一页", "en": "Previous page"},
    "search.next": {"zh": "下一页", "en": "Next page"},
    "search.pagination": {"zh": "翻页", "en": "Pages"},
    "record.id_number": {"zh": "身份证号码", "en": "ID number"},
    "record.credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "record.legal_representative": {"zh": "法定代表人或负责人", "en": "Legal representative or head"},
    "record.sex_age": {"zh": "性别 / 发布时年龄", "en": "Sex / age when published"},
    "record.sex.male": {"zh": "男", "en": "male"},
    "record.sex.female": {"zh": "女", "en": "female"},
    "record.age": {"zh": "{age}岁", "en": "{age}"},
    "record.court": {"zh": "执行法院", "en": "Enforcing court"},
    "record.province": {"zh": "省份", "en": "Province"},
    "record.case_number": {"zh": "执行案号", "en": "Case number"},
    "record.filed_on": {"zh": "立案时间", "en": "Filed on"},
    "record.basis": {"zh": "执行依据", "en": "Enforcement basis"},
    "record.duty": {"zh": "生效法律文书确定的义务", "en": "Obligation under the judgment"},
    "record.performance": {"zh": "履行情况", "en": "Performance"},
    "record.circumstances": {"zh": "失信行为具体情形", "en": "Dishonest conduct"},
    "record.published_on": {"zh": "发布时间", "en": "Published on"},
    # --- Self-check ------------------------------------------------------------------------------------------
    "self.title": {"zh": "查询本人记录", "en": "Check your own records"},
    "self.intro": {
        "zh": "输入您本人的姓名和身份证号码（单位请输入单位名称和统一社会信用代码），可以看到您在列或已删除的记录、"
        "原因、联系哪个法院、如何移出，以及您提交的纠正申请的进度。",
        "en": "Enter your name and ID number (an organisation: its name and credit code) to see your current "
        "and past records, why, which court to contact, how to get off the list, and where your correction "
        "applications stand.",
    },
    "self.identity": {"zh": "您的身份", "en": "Who you are"},
    "self.identity_hint": {
        "zh": "个人填写身份证号码；单位填写统一社会信用代码。两者填一项即可。",
        "en": "A person gives an ID number; an organisation gives its credit code. One of the two is enough.",
    },
    "self.name": {"zh": "姓名或单位名称", "en": "Name of the person or organisation"},
    "self.id_number": {"zh": "身份证号码（个人）", "en": "Resident ID number (a person)"},
    "self.id_number_hint": {"zh": "18位，最后一位可能是 X", "en": "18 characters; the last may be X"},
    "self.credit_code": {
        "zh": "统一社会信用代码或组织机构代码（单位）",
        "en": "Credit code or organisation code (an organisation)",
    },
    "self.representative": {
        "zh": "法定代表人（或主要负责人）身份证号码（单位查询时填写）",
        "en": "ID number of its legal representative (or main responsible person), for an organisation",
    },
    "self.representative_hint": {
        "zh": "信用代码是公开信息，单位查询还需本单位法定代表人的身份证号码",
        "en": "A credit code is public, so an organisation also proves who it is with this ID number",
    },
    "self.credit_code_hint": {
        "zh": "18位信用代码或9位组织机构代码",
        "en": "18-character code or 9-character code",
    },
    "self.submit": {"zh": "查询本人记录", "en": "Check my records"},
    "self.private": {
        "zh": "只有姓名与证件号码完全一致才会显示记录。您输入的号码不会出现在网址中，也不会以明文保存。",
        "en": "Records show only when the name and number match exactly. Your number never appears in an "
        "address and is not stored in clear.",
    },
    "result.title": {"zh": "本人记录查询结果", "en": "Your records"},
    "result.listed": {
        "zh": "您目前在失信被执行人名单上。",
        "en": "You are currently on the dishonest judgment debtor list.",
    },
    "result.restricted": {
        "zh": "您目前被限制高消费。",
        "en": "You are currently under a consumption restriction order.",
    },
    "result.clear": {
        "zh": "没有查到您目前在列的失信记录或生效的限制消费令。",
        "en": "No current listing or consumption restriction was found for you.",
    },
    "result.nothing": {
        "zh": "没有查到与您输入的姓名和证件号码相符的任何记录。",
        "en": "No records were found for the name and number you entered.",
    },
    "result.check_again": {"zh": "重新查询", "en": "Check again"},
    "result.listings": {"zh": "失信被执行人名单记录", "en": "Listings on the dishonest debtor list"},
    "result.listing": {"zh": "失信记录：{case}", "en": "Listing: {case}"},
    "result.state": {"zh": "状态", "en": "Status"},
    "result.decision": {"zh": "纳入决定书", "en": "Listing decision"},
    "result.decision_on": {"zh": "{number}，{date}作出", "en": "{number}, of {date}"},
    "result.contact": {"zh": "联系法院", "en": "Court to contact"},
    "result.no_contact": {"zh": "请联系该法院执行局", "en": "Contact the court's enforcement office"},
    "result.publish_from": {"zh": "公布之日", "en": "Published from"},
    "result.term_end": {"zh": "纳入期限届满", "en": "Term ends"},
    "result.term_none": {"zh": "未设期限，履行义务后删除", "en": "No fixed term; removed once you perform"},
    "result.removed_on": {"zh": "删除日期", "en": "Removed on"},
    "result.removal_reason": {"zh": "删除原因", "en": "Reason for removal"},
    "result.how_to_end": {"zh": "如何移出名单", "en": "How to get off the list"},
    "result.apply": {"zh": "对这条记录申请纠正", "en": "Apply to correct this entry"},
    "result.apply_pending": {
        "zh": "您对这条记录的纠正申请正在处理中。",
        "en": "Your correction application about this entry is being dealt with.",
    },
    "result.restrictions": {"zh": "限制消费令", "en": "Consumption restriction orders"},
    "result.restriction": {"zh": "限制消费令：{number}", "en": "Restriction order: {number}"},
    "result.capacity": {"zh": "被限制的身份", "en": "Restricted as"},
    "result.effective_from": {"zh": "生效日期", "en": "In force from"},
    "result.in_force": {"zh": "是否生效", "en": "In force"},
    "result.lifted_on": {"zh": "解除日期", "en": "Lifted on"},
    "result.permissions": {"zh": "法院许可", "en": "Court permissions"},
    "result.permission_until": {"zh": "{kind}，有效至{until}", "en": "{kind}, valid until {until}"},
    "result.permission_open": {"zh": "{kind}，自{since}起", "en": "{kind}, from {since}"},
    "result.how_to_lift": {"zh": "如何解除限制", "en": "How to have it lifted"},
    "result.measures": {"zh": "目前对您生效的惩戒措施", "en": "Measures that apply to you today"},
    "result.measures_none": {"zh": "目前没有对您生效的惩戒措施。", "en": "No measure applies to you today."},
    "result.applications": {"zh": "您的纠正申请", "en": "Your correction applications"},
    "result.applications_none": {
        "zh": "您还没有提交过纠正申请。",
        "en": "You have not applied for any correction.",
    },
    "app.reference": {"zh": "申请编号", "en": "Reference"},
    "app.ground": {"zh": "申请理由", "en": "Ground"},
    "app.status": {"zh": "进度", "en": "Status"},
    "app.received_on": {"zh": "收到日期", "en": "Received on"},
    "app.decision_due": {"zh": "法院应在此日前作出决定", "en": "Court decides by"},
    "app.decided_on": {"zh": "决定日期", "en": "Decided on"},
    "app.note": {"zh": "法院说明", "en": "Court's note"},
    "app.reconsideration_deadline": {
        "zh": "申请复议截止日期",
        "en": "Ask for reconsideration by",
    },
    "app.reconsideration_due": {"zh": "复议决定期限", "en": "Reconsideration decided by"},
    # --- Correction application -------------------------------------------------------------------------------
    "apply.title": {"zh": "申请纠正失信记录", "en": "Apply to correct a listing"},
    "apply.intro": {
        "zh": "认为不应被纳入、记录信息不准确，或者应当删除而未删除的，可以向作出纳入决定的法院书面申请纠正。"
        "法院应当自收到申请之日起十五日内审查并作出决定。",
        "en": "If you should not have been listed, the recorded information is inaccurate, or the entry should "
        "have been deleted, you can apply in writing to the court that listed you. It must decide within 15 "
        "days of receiving your application.",
    },
    "apply.about": {"zh": "申请纠正的记录", "en": "The entry"},
    "apply.ground": {"zh": "申请理由", "en": "Why should it be corrected?"},
    "apply.explanation": {"zh": "具体说明", "en": "Explain what is wrong"},
    "apply.explanation_hint": {
        "zh": "说明事实和理由，例如已经全部履行的日期和方式。最多4000字。",
        "en": "Give the facts and your reasons, e.g. when and how you paid in full. At most 4000 characters.",
    },
    "apply.contact": {"zh": "联系方式", "en": "How can the court reach you?"},
    "apply.contact_hint": {"zh": "手机号码或电子邮箱", "en": "Phone number or email address"},
    "apply.attachments": {"zh": "证明材料", "en": "Supporting documents"},
    "apply.attachments_hint": {
        "zh": "可以选择多个文件，最多{count}个；只接受 PDF、PNG、JPEG，每个不超过{size}。",
        "en": "You can choose several files, at most {count}; PDF, PNG or JPEG only, up to {size} each.",
    },
    "apply.attachments_again": {
        "zh": "如需附上证明材料，请重新选择文件。",
        "en": "If you are attaching documents, please choose the files again.",
    },
    "apply.submit": {"zh": "提交申请", "en": "Submit the application"},
    "apply.back": {"zh": "返回查询", "en": "Back to the check"},
    "filed.title": {"zh": "纠正申请已提交", "en": "Application submitted"},
    "filed.reference": {"zh": "您的申请编号", "en": "Your reference number"},
    "filed.keep": {
        "zh": "请记下申请编号，以便查询进度。",
        "en": "Keep this reference to follow your application.",
    },
    "filed.court": {"zh": "受理法院", "en": "The court deciding it"},
    "filed.due": {
        "zh": "法院应在{date}前作出决定。",
        "en": "The court must decide by {date}.",
    },
    # D2: a deadline that ran past the published holiday calendar is counted on weekends alone.
    "deadline.provisional": {
        "zh": "（暂定：该年度的法定节假日安排尚未公布，此日期只按周末推算；安排公布后，如遇节假日将顺延。）",
        "en": "(Provisional: the official holiday calendar for that year is not yet published, so this date "
        "counts weekends only; once it is, a deadline falling on a holiday moves to the next working day.)",
    },
    "deadline.provisional_short": {
        "zh": "（暂定，节假日安排尚未公布）",
        "en": "(provisional: the holiday calendar is not yet published)",
    },
    "filed.next": {
        "zh": "决定作出前，原纳入决定继续有效。您可以随时用本人姓名和证件号码查询进度；申请被驳回的，"
        "可以在决定送达之日起十日内向上一级法院申请复议。",
        "en": "Until the court decides, the listing stays in force. You can follow the status at any time by "
        "checking your own records; if it is rejected, you may ask the court one level up to reconsider "
        "within 10 days of being served the decision.",
    },
    # --- Reconsideration (L-APPEAL-5…7) -----------------------------------------------------------------------
    "result.reconsider": {"zh": "向上一级法院申请复议", "en": "Ask the higher court to reconsider"},
    "reconsider.title": {"zh": "申请复议", "en": "Ask for reconsideration"},
    "reconsider.intro": {
        "zh": "纠正申请被驳回的，可以自驳回决定送达之日起十日内，向上一级人民法院申请复议。上一级法院应当自收到"
        "复议申请之日起十五日内作出决定。复议期间，原决定不停止执行。",
        "en": "If your correction application was rejected, you can ask the court one level up to reconsider "
        "within 10 days of being served the rejection. It must decide within 15 days of receiving your "
        "request. Until then the original decision stays in force.",
    },
    "reconsider.about": {"zh": "被驳回的申请", "en": "The rejected application"},
    "reconsider.court": {"zh": "作出驳回决定的法院", "en": "Court that rejected it"},
    "reconsider.served_on": {"zh": "驳回决定送达日期", "en": "Rejection served on"},
    "reconsider.higher_court": {"zh": "复议法院（上一级法院）", "en": "Court that reconsiders (one level up)"},
    "reconsider.no_higher_court": {
        "zh": "没有登记上一级法院，请联系执行法院",
        "en": "No higher court on record; contact the enforcing court",
    },
    "reconsider.reasons": {"zh": "复议理由", "en": "Why should the rejection be reconsidered?"},
    "reconsider.reasons_hint": {
        "zh": "说明您不服驳回决定的事实和理由。最多4000字。",
        "en": "Give the facts and your reasons for disagreeing with the rejection. At most 4000 characters.",
    },
    "reconsider.submit": {"zh": "提交复议申请", "en": "Submit the request"},
    "reconsidered.title": {"zh": "复议申请已提交", "en": "Request for reconsideration submitted"},
    "reconsidered.due": {
        "zh": "上一级法院应在{date}前作出复议决定。",
        "en": "The higher court must decide by {date}.",
    },
    "reconsidered.next": {
        "zh": "复议期间，原驳回决定不停止执行，失信记录继续有效。您可以随时用本人姓名和证件号码查询进度。",
        "en": "While it is reconsidered the rejection stands and the listing stays in force. You can follow "
        "the status at any time by checking your own records.",
    },
    # --- Errors and limits ----------------------------------------------------------------------------------
    "error.title": {"zh": "出错了", "en": "Something went wrong"},
    "error.not_yours": {
        "zh": "没有找到您的这条记录。请重新查询本人记录后再申请。",
        "en": "We could not find this entry of yours. Please check your records again, then apply.",
    },
    "error.start_again": {"zh": "重新查询本人记录", "en": "Check your records again"},
    "limit.title": {"zh": "查询过于频繁", "en": "Too many requests"},
    "limit.body": {
        "zh": "为防止名单被批量抓取，每个用户的查询次数有限制。请稍等片刻再试。",
        "en": "To stop the list being scraped, each user may only make a limited number of requests. "
        "Please wait a moment and try again.",
    },
    "limit.retry": {
        "zh": "大约{seconds}秒后可以再试。",
        "en": "You can try again in about {seconds} seconds.",
    },
    "limit.home": {"zh": "返回首页", "en": "Back to the home page"},
}

# --- Labels for the services' codes ---------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "state.in_grace": {
        "zh": "已决定纳入，宽限期内尚未公布",
        "en": "Decided; not published yet (grace period)",
    },
    "state.active": {"zh": "在列（正在公布）", "en": "On the list (published)"},
    "state.expired": {"zh": "期限已届满", "en": "Term over"},
    "state.removed": {"zh": "已删除", "en": "Removed"},
    "removal.full_performance": {"zh": "已全部履行", "en": "Paid in full"},
    "removal.settlement_performed": {"zh": "执行和解协议已履行完毕", "en": "Settlement performed"},
    "removal.applicant_request": {"zh": "申请执行人申请删除", "en": "At the creditor's request"},
    "removal.no_property_termination": {"zh": "终结本次执行程序", "en": "Enforcement ended: no property"},
    "removal.suspension": {"zh": "中止执行", "en": "Enforcement suspended"},
    "removal.non_enforcement": {"zh": "裁定不予执行", "en": "Ruled not enforceable"},
    "removal.termination": {"zh": "终结执行", "en": "Enforcement terminated"},
    "removal.term_expired": {"zh": "纳入期限届满", "en": "Term over"},
    "removal.early_deletion": {"zh": "提前删除", "en": "Deleted early"},
    "removal.revoked": {"zh": "撤销纳入决定（不应纳入）", "en": "Revoked: should not have been listed"},
    "ground.should_not_be_listed": {"zh": "不应当被纳入名单", "en": "I should not have been listed"},
    "ground.should_not_be_listed.hint": {
        "zh": "例如：您不是该案的被执行人，或者不存在所列的失信情形，或者已经提供了足额担保。",
        "en": "For example: you are not the debtor in this case, the conduct listed did not happen, or the "
        "debt was already covered by security.",
    },
    "ground.inaccurate": {"zh": "记录的信息不准确", "en": "The information is inaccurate"},
    "ground.inaccurate.hint": {
        "zh": "例如：姓名、证件号码、义务内容或金额记录有误。",
        "en": "For example: the name, ID number, obligation or amount is recorded wrongly.",
    },
    "ground.should_be_deleted": {"zh": "应当删除而未删除", "en": "It should have been deleted"},
    "ground.should_be_deleted.hint": {
        "zh": "例如：您已经全部履行、执行和解协议已履行完毕，或者纳入期限已经届满。",
        "en": "For example: you have paid in full, performed a settlement, or the term is over.",
    },
    "status.pending": {"zh": "法院审查中", "en": "Being examined by the court"},
    "status.upheld": {"zh": "申请成立，已纠正", "en": "Upheld: corrected"},
    "status.rejected": {"zh": "申请被驳回", "en": "Rejected"},
    "status.reconsideration_pending": {
        "zh": "上一级法院复议中",
        "en": "Being reconsidered by the higher court",
    },
    "status.reconsideration_upheld": {"zh": "复议成立，已纠正", "en": "Upheld on reconsideration: corrected"},
    "status.reconsideration_rejected": {"zh": "复议被驳回", "en": "Rejected on reconsideration"},
    "capacity.debtor": {"zh": "被执行人本人", "en": "The debtor"},
    "role.legal_representative": {"zh": "{org}的法定代表人", "en": "Legal representative of {org}"},
    "role.main_responsible": {"zh": "{org}的主要负责人", "en": "Person in charge of {org}"},
    "role.directly_responsible": {
        "zh": "{org}影响债务履行的直接责任人员",
        "en": "Person directly responsible, at {org}, for non-payment",
    },
    "role.actual_controller": {"zh": "{org}的实际控制人", "en": "Actual controller of {org}"},
    "permission.personal_funds": {
        "zh": "以个人财产消费的许可",
        "en": "Permission to spend personal funds",
    },
    "permission.necessity": {"zh": "生活或经营必需消费的许可", "en": "Permission for necessary spending"},
    "permission.humanitarian": {"zh": "人道主义原因的解除", "en": "Humanitarian exception"},
    "measures.deny": {"zh": "不得进行", "en": "Not allowed"},
    "measures.allow_with_permission": {
        "zh": "受限制，但法院已许可",
        "en": "Restricted, but allowed by a court permission",
    },
    "measures.flag": {
        "zh": "不是禁止，但有关部门会审慎参考",
        "en": "Not banned, but taken into account by the authorities",
    },
    "kind.person": {"zh": "自然人", "en": "Person"},
    "kind.organisation": {"zh": "法人或其他组织", "en": "Organisation"},
    "performance.部分未履行": {"zh": "部分未履行", "en": "Partly unperformed"},
    "performance.全部未履行": {"zh": "全部未履行", "en": "Wholly unperformed"},
}

# --- Error messages by the services' stable codes ------------------------------------------------------------

ERRORS: dict[str, dict[str, str]] = {
    "name.required": {"zh": "请填写姓名或名称", "en": "Enter the name"},
    "identity.representative_required": {
        "zh": "单位查询请填写法定代表人（或主要负责人）的身份证号码",
        "en": "For an organisation, enter its legal representative's ID number",
    },
    "identity.required": {
        "zh": "请填写身份证号码，或者单位的统一社会信用代码",
        "en": "Enter an ID number, or an organisation's credit code",
    },
    "id_number.format": {
        "zh": "身份证号码应为18位（17位数字加一位数字或X），或15位数字",
        "en": "An ID number has 18 characters (17 digits and a digit or X), or 15 digits",
    },
    "id_number.check_digit": {
        "zh": "身份证号码的校验位不正确，请检查是否输错",
        "en": "The ID number's last character is wrong; check for a typing mistake",
    },
    "id_number.bad_birth_date": {
        "zh": "身份证号码中的出生日期不存在",
        "en": "The birth date in the ID number is not a real date",
    },
    "id_number.future_birth_date": {
        "zh": "身份证号码中的出生日期晚于今天",
        "en": "The birth date in the ID number is in the future",
    },
    "credit_code.format": {
        "zh": "统一社会信用代码应为18位，组织机构代码应为9位",
        "en": "A credit code has 18 characters, an organisation code 9",
    },
    "credit_code.check_digit": {
        "zh": "统一社会信用代码的校验位不正确，请检查是否输错",
        "en": "The credit code's last character is wrong; check for a typing mistake",
    },
    "org_code.format": {
        "zh": "组织机构代码应为8位本体代码加1位校验码",
        "en": "An organisation code has 8 characters and a check character",
    },
    "org_code.check_digit": {
        "zh": "组织机构代码的校验位不正确，请检查是否输错",
        "en": "The organisation code's last character is wrong; check for a typing mistake",
    },
    "ground.required": {"zh": "请选择申请理由", "en": "Choose why the entry should be corrected"},
    "application.explanation": {"zh": "请说明申请纠正的事实和理由", "en": "Explain why"},
    "explanation.too_long": {
        "zh": "具体说明不能超过4000字",
        "en": "The explanation may be at most 4000 characters",
    },
    "contact.too_long": {"zh": "联系方式不能超过200字", "en": "The contact may be at most 200 characters"},
    "text.control_character": {
        "zh": "含有不可见的控制字符，请删除后重新输入",
        "en": "This contains an invisible control character; remove it and try again",
    },
    "text.encoding": {
        "zh": "含有无法识别的字符，请重新输入",
        "en": "This contains a character that cannot be read; type it again",
    },
    "page.range": {"zh": "没有这一页", "en": "There is no such page"},
    "application.listing": {
        "zh": "没有找到您的这条记录",
        "en": "We could not find this entry of yours",
    },
    "application.pending": {
        "zh": "您对这条记录的纠正申请正在处理中，请等待法院决定",
        "en": "An application about this entry is already being dealt with; please wait for the decision",
    },
    "application.listing_removed": {
        "zh": "这条记录已经删除，无需申请纠正",
        "en": "This entry has already been removed; there is nothing to correct",
    },
    "reasons.required": {"zh": "请说明申请复议的理由", "en": "Give your reasons"},
    "reasons.too_long": {
        "zh": "复议理由不能超过4000字",
        "en": "The reasons may be at most 4000 characters",
    },
    "application.not_found": {
        "zh": "没有找到您的这份申请",
        "en": "We could not find this application of yours",
    },
    "application.not_rejected": {
        "zh": "只有被驳回的纠正申请才能申请复议",
        "en": "Only a rejected application can be reconsidered",
    },
    "application.reconsideration_late": {
        "zh": "申请复议的期限（驳回决定送达之日起十日）已经届满",
        "en": "The 10 days to ask for reconsideration, from service of the rejection, are over",
    },
    "application.no_higher_court": {
        "zh": "没有登记执行法院的上一级法院，请联系执行法院",
        "en": "The enforcing court has no higher court on record; please contact it",
    },
    "attachment.too_large": {
        "zh": "每个附件不能超过{size}",
        "en": "Each file may be at most {size}",
    },
    "attachment.type": {
        "zh": "附件只接受 PDF、PNG 或 JPEG 文件",
        "en": "Only PDF, PNG and JPEG files are accepted",
    },
    "attachment.count": {"zh": "最多只能上传{count}个附件", "en": "You can attach at most {count} files"},
    "page.invalid": {"zh": "页码不正确", "en": "Invalid page number"},
    "request.cross_site": {
        "zh": "此请求由其他网站发出，已被拒绝。请直接在本网站打开页面后再提交",
        "en": "This request was sent from another website and was refused. Open the page on this site and "
        "send it from there",
    },
    "payload_too_large": {
        "zh": "提交的内容过大：最多上传{count}个附件，每个不超过{size}，请减少或压缩附件后重试",
        "en": "What you sent is too large: attach at most {count} files of up to {size} each, and try again",
    },
}

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def text(lang: str, key: str, **values: object) -> str:
    """The interface text ``key`` in ``lang``, with ``{placeholders}`` filled."""
    entry = TEXT.get(key) or LABELS.get(key)
    if entry is None:
        return key
    words = entry.get(lang) or entry[DEFAULT]
    return words.format(**values) if values else words


def label(lang: str, kind: str, code: str | None, **values: object) -> str:
    """A service code in plain words (``label("en", "status", "pending")``); the code itself if unknown."""
    if code is None:
        return ""
    entry = LABELS.get(f"{kind}.{code}")
    if entry is None:
        return code
    words = entry.get(lang) or entry[DEFAULT]
    return words.format(**values) if values else words


def error(lang: str, code: str, fallback: str, **values: object) -> str:
    """A service error in the chosen language: by its stable code, else the service's own message."""
    entry = ERRORS.get(code)
    if entry is None:
        return fallback if lang == "en" else f"输入有误（{fallback}）"
    return entry[lang].format(**values)


def date(lang: str, day: dt.date | None) -> str:
    if day is None:
        return ""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def size(lang: str, n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024 and n_bytes % (1024 * 1024) == 0:
        return f"{n_bytes // (1024 * 1024)} MB"
    return f"{max(1, n_bytes // 1024)} KB"
