<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>添加文件(&amp;A)…</source>
        <translation>&amp;Add files…</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>保存记录后可添加附件。</source>
        <translation>Save the record first, then attach files.</translation>
    </message>
    <message>
        <source>暂无附件。</source>
        <translation>No attachments.</translation>
    </message>
    <message>
        <source>选择要添加的文件</source>
        <translation>Choose files to attach</translation>
    </message>
    <message>
        <source>已添加 {n} 个附件。</source>
        <translation>{n} attachment(s) added.</translation>
    </message>
    <message>
        <source>附件另存为</source>
        <translation>Save attachment as</translation>
    </message>
    <message>
        <source>已保存到 {path}</source>
        <translation>Saved to {path}</translation>
    </message>
    <message>
        <source>移除附件</source>
        <translation>Remove attachment</translation>
    </message>
    <message>
        <source>确定移除附件「{name}」吗？</source>
        <translation>Remove the attachment “{name}”?</translation>
    </message>
</context>
<context>
    <name>ChecklistsPage</name>
    <message>
        <source>已完成 %v / %m 项</source>
        <translation>%v of %m done</translation>
    </message>
    <message>
        <source>谈话中问到</source>
        <translation>Asked in interviews</translation>
    </message>
    <message>
        <source>已谈 / 尚未谈话</source>
        <translation>Talked to / not yet</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>完成情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>情况说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>{n} 次谈话</source>
        <translation>{n} interview(s)</translation>
    </message>
    <message>
        <source>尚未问到</source>
        <translation>Not asked yet</translation>
    </message>
    <message>
        <source>已谈 {n} 人次</source>
        <translation>{n} talk(s)</translation>
    </message>
    <message>
        <source>；尚未谈话：{names}</source>
        <translation>; not yet: {names}</translation>
    </message>
    <message>
        <source>尚无谈话问到：{items}</source>
        <translation>No interview has asked about: {items}</translation>
    </message>
    <message>
        <source>六必问的六个方面都已在谈话中问到。</source>
        <translation>All six must-ask topics have been asked in interviews.</translation>
    </message>
    <message>
        <source>尚缺谈话的类别：{items}</source>
        <translation>Categories still without an interview: {items}</translation>
    </message>
    <message>
        <source>四必谈的各类人员都已谈到。</source>
        <translation>Every must-talk category has been talked to.</translation>
    </message>
    <message>
        <source>关联记录</source>
        <translation>Link a record</translation>
    </message>
    <message>
        <source>记录类别：</source>
        <translation>Kind of record:</translation>
    </message>
    <message>
        <source>工作清单</source>
        <translation>Checklists</translation>
    </message>
    <message>
        <source>这一项怎么查（依据和方法）</source>
        <translation>How to check this item (basis and method)</translation>
    </message>
    <message>
        <source>未完成(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>已完成(&amp;C)</source>
        <translation>&amp;Done</translation>
    </message>
    <message>
        <source>不适用(&amp;A)</source>
        <translation>Not &amp;applicable</translation>
    </message>
    <message>
        <source>完成情况或不适用的理由</source>
        <translation>What was done, or why it does not apply</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>关联记录(&amp;L)…</source>
        <translation>&amp;Link a record…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>情况说明(&amp;N)：</source>
        <translation>&amp;Notes:</translation>
    </message>
    <message>
        <source>关联的记录和问题：</source>
        <translation>Linked records and findings:</translation>
    </message>
    <message>
        <source>附件：</source>
        <translation>Attachments:</translation>
    </message>
    <message>
        <source>三张清单共 {n} 项，已完成 {done} 项</source>
        <translation>{done} of {n} items done across the three lists</translation>
    </message>
    <message>
        <source>请在左侧选择一个清单事项。</source>
        <translation>Choose a checklist item on the left.</translation>
    </message>
    <message>
        <source>清单事项</source>
        <translation>Checklist item</translation>
    </message>
    <message>
        <source>没有需要保存的修改。</source>
        <translation>Nothing to save: no changes.</translation>
    </message>
    <message>
        <source>已保存“{title}”。</source>
        <translation>Saved “{title}”.</translation>
    </message>
    <message>
        <source>（记录已删除）</source>
        <translation>(record deleted)</translation>
    </message>
    <message>
        <source>尚未关联记录。</source>
        <translation>No linked records yet.</translation>
    </message>
    <message>
        <source>已关联。</source>
        <translation>Linked.</translation>
    </message>
</context>
<context>
    <name>ChoiceCombo</name>
    <message>
        <source>（不在当前可选范围内）</source>
        <translation> (outside the current choices)</translation>
    </message>
    <message>
        <source>记录中保存的取值，不在当前可选范围内；保存时保持不变。</source>
        <translation>The value stored in the record, outside the current choices; saving keeps it unchanged.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>{n} 天后进驻</source>
        <translation>Arrives in {n} days</translation>
    </message>
    <message>
        <source>未定结束日期</source>
        <translation>No end date set</translation>
    </message>
    <message>
        <source>已于 {date} 结束</source>
        <translation>Ended on {date}</translation>
    </message>
    <message>
        <source>距结束还有 {n} 天</source>
        <translation>{n} days left</translation>
    </message>
    <message>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>巡察概况</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <source>工作清单进度</source>
        <translation>Checklist progress</translation>
    </message>
    <message>
        <source>打开工作清单</source>
        <translation>Open checklists</translation>
    </message>
    <message>
        <source>问题办理情况</source>
        <translation>Findings by status</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>问题数</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>等待我审核的问题底稿</source>
        <translation>Working papers waiting for my review</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>问题标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>审核状态</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>逾期未完成的整改</source>
        <translation>Overdue rectification</translation>
    </message>
    <message>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>当前阶段：{stage}</source>
        <translation>Stage: {stage}</translation>
    </message>
    <message>
        <source>谈话 {i} 人次　信访 {p} 件　查阅资料 {d} 份　走访 {v} 次</source>
        <translation>Interviews {i}  Petitions {p}  Document reviews {d}  Visits {v}</translation>
    </message>
    <message>
        <source>听取汇报 {b} 次　分类座谈 {g} 场</source>
        <translation>{b} briefing(s)   {g} group talk(s)</translation>
    </message>
    <message>
        <source>民主测评 {s} 次　见面会、反馈会 {m} 次</source>
        <translation>{s} survey(s)   {m} arrival/feedback meeting(s)</translation>
    </message>
    <message>
        <source>六必问已问到 {a}/{an} 项，四必谈已谈到 {t}/{tn} 类（谈话记录所涉及的，或已标记完成、不适用的）。</source>
        <translation>Must-ask: {a}/{an} topics asked; must-talk: {t}/{tn} categories talked to (by the interviews, or marked done or not applicable).</translation>
    </message>
    <message>
        <source>六必问尚未问到：{items}</source>
        <translation>Must-ask topics not asked yet: {items}</translation>
    </message>
    <message>
        <source>四必谈尚缺：{items}</source>
        <translation>Must-talk still missing: {items}</translation>
    </message>
    <message>
        <source>共 {n} 个问题</source>
        <translation>{n} findings</translation>
    </message>
    <message>
        <source>审核：</source>
        <translation>Review: </translation>
    </message>
    <message>
        <source>共 {n} 份，双击打开</source>
        <translation>{n} in all; double-click to open</translation>
    </message>
    <message>
        <source>目前没有等待您审核的底稿。</source>
        <translation>No working papers are waiting for your review.</translation>
    </message>
    <message>
        <source>共 {n} 项，双击打开对应问题</source>
        <translation>{n} in all; double-click to open the finding</translation>
    </message>
    <message>
        <source>没有逾期的整改事项。</source>
        <translation>No overdue rectification.</translation>
    </message>
</context>
<context>
    <name>DocumentReviewsPage</name>
    <message>
        <source>查阅资料</source>
        <translation>Document reviews</translation>
    </message>
    <message>
        <source>查阅资料记录</source>
        <translation>document review</translation>
    </message>
    <message>
        <source>查阅时间</source>
        <translation>Reviewed at</translation>
    </message>
    <message>
        <source>资料名称</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>资料类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>资料期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>查阅人</source>
        <translation>Reviewed by</translation>
    </message>
    <message>
        <source>例如：2025年党组会议记录</source>
        <translation>e.g. minutes of the 2025 party group meetings</translation>
    </message>
    <message>
        <source>会议记录、账簿凭证、合同协议…</source>
        <translation>Minutes, accounts, contracts…</translation>
    </message>
    <message>
        <source>例如：2024年1月至2025年12月</source>
        <translation>e.g. January 2024 to December 2025</translation>
    </message>
    <message>
        <source>（未指明）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <source>查阅范围、方法和发现的情况</source>
        <translation>Scope, method and what was found</translation>
    </message>
    <message>
        <source>资料名称(&amp;T)：</source>
        <translation>Ma&amp;terial:</translation>
    </message>
    <message>
        <source>资料类别(&amp;K)：</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>资料期间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>查阅时间：</source>
        <translation>Reviewed at:</translation>
    </message>
    <message>
        <source>查阅人(&amp;P)：</source>
        <translation>Reviewed &amp;by:</translation>
    </message>
    <message>
        <source>单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>查阅情况(&amp;C)：</source>
        <translation>&amp;Findings:</translation>
    </message>
    <message>
        <source>查阅资料：{title}</source>
        <translation>Document review: {title}</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <source>公文</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>编制印发</source>
        <translation>Draft and issue</translation>
    </message>
    <message>
        <source>登记簿</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>公文生成（PDF）将随公文功能一起提供：
巡察反馈意见、整改通知书、整改督办函、问题线索移交函、巡察公告等，
按《党政机关公文格式》（GB/T 9704-2012）排版并自动编制文号。

在此之前，可在“问题台账”中把问题导出为 Excel。</source>
        <translation>PDF documents arrive with the documents feature:
feedback reports, rectification notices, supervision letters, clue transfers, announcements…,
laid out to GB/T 9704-2012 and numbered automatically.

Until then, export findings to Excel from the findings register.</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <source>保存公文</source>
        <translation>Save the document</translation>
    </message>
    <message>
        <source>加水印（导出人和时间）</source>
        <translation>Watermark (who exported it, and when)</translation>
    </message>
    <message>
        <source>再次印发</source>
        <translation>Issue again</translation>
    </message>
    <message>
        <source>仍要再次印发吗？</source>
        <translation>Issue it again anyway?</translation>
    </message>
    <message>
        <source> 份</source>
        <translation> copy(ies)</translation>
    </message>
    <message>
        <source>文种(&amp;K)：</source>
        <translation>Document &amp;type:</translation>
    </message>
    <message>
        <source>打印哪一份记录：</source>
        <translation>Record to print:</translation>
    </message>
    <message>
        <source>标题：</source>
        <translation>Title:</translation>
    </message>
    <message>
        <source>主送机关：</source>
        <translation>Addressee:</translation>
    </message>
    <message>
        <source>总体评价（每段一行）：</source>
        <translation>Overall assessment (a paragraph per line):</translation>
    </message>
    <message>
        <source>整改意见/要求（每条一行）：</source>
        <translation>Rectification requirements (one per line):</translation>
    </message>
    <message>
        <source>抄送（顿号分隔）：</source>
        <translation>Cc (separated by 、):</translation>
    </message>
    <message>
        <source>署名：</source>
        <translation>Signature:</translation>
    </message>
    <message>
        <source>成文日期：</source>
        <translation>Document date:</translation>
    </message>
    <message>
        <source>印制份数（涉密文书每份编份号）：</source>
        <translation>Copies (each numbered if classified):</translation>
    </message>
    <message>
        <source>预览(&amp;P)</source>
        <translation>&amp;Preview</translation>
    </message>
    <message>
        <source>编号印发并保存(&amp;I)…</source>
        <translation>Number, &amp;issue and save…</translation>
    </message>
    <message>
        <source>保存为Word(&amp;W)…</source>
        <translation>Save as &amp;Word…</translation>
    </message>
    <message>
        <source>保存(&amp;I)…</source>
        <translation>Save to f&amp;ile…</translation>
    </message>
    <message>
        <source>该巡察还没有可打印的记录。</source>
        <translation>This inspection has no records to print yet.</translation>
    </message>
    <message>
        <source>请先选择巡察。</source>
        <translation>Please choose an inspection first.</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Making the preview…</translation>
    </message>
    <message>
        <source>预览：共 {n} 页（文号在印发时编定）。</source>
        <translation>Preview: {n} page(s) (the document number is assigned when issued).</translation>
    </message>
    <message>
        <source>（不编号）</source>
        <translation>(unnumbered)</translation>
    </message>
    <message>
        <source>已印发 {number}，共 {n} 页，保存到 {path}</source>
        <translation>Issued {number}, {n} page(s), saved to {path}</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>巡察工作台 — 出现错误</source>
        <translation>Xuncha Workbench — an error occurred</translation>
    </message>
    <message>
        <source>尚未保存的内容仍保留在窗口中，可以继续编辑和保存。</source>
        <translation>Unsaved work is still in the window: you can go on editing and save it.</translation>
    </message>
    <message>
        <source>复制详细信息(&amp;C)</source>
        <translation>&amp;Copy details</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>此后又发生 {n} 次错误（均已写入日志）。</source>
        <translation>{n} more error(s) since (all written to the log).</translation>
    </message>
</context>
<context>
    <name>FindingRegisterModel</name>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>问题编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>问题标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>审核状态</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>责任单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>问题类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>违反纪律</source>
        <translation>Discipline</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>四种形态</source>
        <translation>Four forms</translation>
    </message>
    <message>
        <source>处置方式</source>
        <translation>Disposition</translation>
    </message>
    <message>
        <source>承办人</source>
        <translation>Handler</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Assignee</translation>
    </message>
    <message>
        <source>发现日期</source>
        <translation>Found on</translation>
    </message>
    <message>
        <source>所属巡察</source>
        <translation>Inspection</translation>
    </message>
</context>
<context>
    <name>FindingsPage</name>
    <message>
        <source>问题台账</source>
        <translation>Findings register</translation>
    </message>
    <message>
        <source>标题、现象、定性、责任人中的文字</source>
        <translation>Words in title, facts, characterisation or people</translation>
    </message>
    <message>
        <source>关键词(&amp;K)：</source>
        <translation>&amp;Keyword:</translation>
    </message>
    <message>
        <source>本次巡察</source>
        <translation>This inspection</translation>
    </message>
    <message>
        <source>全部巡察</source>
        <translation>All inspections</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>清除筛选(&amp;L)</source>
        <translation>C&amp;lear filters</translation>
    </message>
    <message>
        <source>导出Excel(&amp;E)…</source>
        <translation>&amp;Export to Excel…</translation>
    </message>
    <message>
        <source>把当前筛选出的全部问题按当前顺序导出为 .xlsx</source>
        <translation>Export every finding the filters show, in the shown order, to .xlsx</translation>
    </message>
    <message>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <source>新建问题(&amp;N)</source>
        <translation>&amp;New finding</translation>
    </message>
    <message>
        <source>（不指派）</source>
        <translation>(nobody)</translation>
    </message>
    <message>
        <source>指派(&amp;A)</source>
        <translation>&amp;Assign</translation>
    </message>
    <message>
        <source>把选中的问题指派给</source>
        <translation>Assign the selected findings to</translation>
    </message>
    <message>
        <source>把选中的问题改为状态</source>
        <translation>Set the selected findings' status to</translation>
    </message>
    <message>
        <source>更改状态(&amp;U)</source>
        <translation>Change stat&amp;us</translation>
    </message>
    <message>
        <source>范围：</source>
        <translation>Scope:</translation>
    </message>
    <message>
        <source>单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>类别：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <source>纪律：</source>
        <translation>Discipline:</translation>
    </message>
    <message>
        <source>办理：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>审核：</source>
        <translation>Review: </translation>
    </message>
    <message>
        <source>形态：</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>共 {n} 个问题</source>
        <translation>{n} findings</translation>
    </message>
    <message>
        <source>已选 {n} 个问题</source>
        <translation>{n} selected</translation>
    </message>
    <message>
        <source>未选择问题</source>
        <translation>Nothing selected</translation>
    </message>
    <message>
        <source>已对 {n} 个问题指派。</source>
        <translation>Assigned {n} finding(s).</translation>
    </message>
    <message>
        <source>已对 {n} 个问题更改状态。</source>
        <translation>Changed the status of {n} finding(s).</translation>
    </message>
    <message>
        <source>问题台账_{date}.xlsx</source>
        <translation>findings_{date}.xlsx</translation>
    </message>
    <message>
        <source>导出问题台账</source>
        <translation>Export the findings register</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出 {n} 个问题到 {path}</source>
        <translation>Exported {n} finding(s) to {path}</translation>
    </message>
</context>
<context>
    <name>FirstStart</name>
    <message>
        <source>欢迎使用巡察工作台。请选择这台电脑的用途：</source>
        <translation>Welcome to Xuncha Workbench. What is this computer for?</translation>
    </message>
    <message>
        <source>这台电脑是巡察办的（主库）</source>
        <translation>This computer belongs to the inspection office (master database)</translation>
    </message>
    <message>
        <source>创建管理员账户和加密数据库，再建立第一轮巡察和第一次巡察。以后在巡察办工作台中组建巡察组、为各组笔记本准备工作包、汇总数据。</source>
        <translation>Create the administrator account and the encrypted database, then the first round and inspection. Later, in the office window, form the teams, prepare each team laptop's kit and merge their data.</translation>
    </message>
    <message>
        <source>这台电脑是巡察组的笔记本</source>
        <translation>This computer is a team's laptop</translation>
    </message>
    <message>
        <source>导入巡察办准备的工作包（.xkit 文件，及巡察办当面告知的口令），用您在巡察办开设的账户登录。</source>
        <translation>Import the kit the office prepared (the .xkit file and the passphrase the office told you in person) and log in with the account the office opened for you.</translation>
    </message>
    <message>
        <source>先看看演示数据</source>
        <translation>Explore the demo first</translation>
    </message>
    <message>
        <source>打开一个虚构城市的演示数据库，随意试用；它单独存放，不会与正式数据混在一起。下次启动时仍可选择上面两项。</source>
        <translation>Open a demo database of a fictional city to try things out; it is kept apart and never mixed with real data. Next time you start, the two choices above are still offered.</translation>
    </message>
    <message>
        <source>创建管理员账户</source>
        <translation>Create the administrator account</translation>
    </message>
    <message>
        <source>创建加密数据库</source>
        <translation>Create the encrypted database</translation>
    </message>
    <message>
        <source>数据将加密保存在本机。密码是打开数据的唯一钥匙，遗失后无法找回，请牢记并妥善保管；其他人员的账户以后在“安全 → 账户管理”中开设。</source>
        <translation>The data will be stored encrypted on this computer. The password is the only key to it and cannot be recovered if lost: remember it and keep it safe. Accounts for others are opened later under Security → Accounts.</translation>
    </message>
    <message>
        <source>用户名：</source>
        <translation>User name:</translation>
    </message>
    <message>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>密码：</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>确认密码：</source>
        <translation>Confirm password:</translation>
    </message>
    <message>
        <source>派生密钥</source>
        <translation>Derive the password's key</translation>
    </message>
    <message>
        <source>建立数据表</source>
        <translation>Create the tables</translation>
    </message>
    <message>
        <source>写入基础数据</source>
        <translation>Write the reference data</translation>
    </message>
    <message>
        <source>生成账户密钥</source>
        <translation>Generate the account's keys</translation>
    </message>
    <message>
        <source>请输入用户名。</source>
        <translation>Please enter a user name.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <source>已用时 {s:.0f} 秒</source>
        <translation>{s:.0f} s elapsed</translation>
    </message>
    <message>
        <source>第一次巡察</source>
        <translation>The first inspection</translation>
    </message>
    <message>
        <source>创建巡察并进入工作台</source>
        <translation>Create the inspection and open the workbench</translation>
    </message>
    <message>
        <source>填写要开展的第一次巡察；被巡察单位每行一个，会同时登记到单位名录。其余（组建巡察组、人才库、更多单位）可在“视图 → 巡察办工作台”中继续。也可以跳过，以后再建。</source>
        <translation>Describe the first inspection; inspected units one per line (they are added to the unit directory too). The rest (forming the team, the inspector pool, more units) continues under View → Inspection office. You can also skip this and create it later.</translation>
    </message>
    <message>
        <source>如：十二届市委第一轮巡察（可不填）</source>
        <translation>e.g. First round of the 12th municipal committee (optional)</translation>
    </message>
    <message>
        <source>如：市委第一巡察组巡察市财政局党组</source>
        <translation>e.g. Team 1 inspects the Finance Bureau's party group</translation>
    </message>
    <message>
        <source>如：市委第一巡察组</source>
        <translation>e.g. Municipal inspection team 1</translation>
    </message>
    <message>
        <source>市财政局
市审计局</source>
        <translation>Finance Bureau
Audit Bureau</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>巡察轮次：</source>
        <translation>Round:</translation>
    </message>
    <message>
        <source>巡察名称：</source>
        <translation>Inspection:</translation>
    </message>
    <message>
        <source>巡察类型：</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <source>巡察组：</source>
        <translation>Team:</translation>
    </message>
    <message>
        <source>进驻至结束：</source>
        <translation>From arrival to end:</translation>
    </message>
    <message>
        <source>被巡察单位：</source>
        <translation>Inspected units:</translation>
    </message>
    <message>
        <source>单位类别：</source>
        <translation>Unit kind:</translation>
    </message>
    <message>
        <source>跳过，以后再建</source>
        <translation>Skip, create it later</translation>
    </message>
    <message>
        <source>未定</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>数据库尚未创建。</source>
        <translation>The database has not been created yet.</translation>
    </message>
    <message>
        <source>导入工作包</source>
        <translation>Import the kit</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>请选择巡察办准备的工作包，输入巡察办当面告知的口令和指纹，以及巡察办管理员的账户（笔记本由巡察办管理员准备）。本机数据库将加密保存；组员此后用各自的账户和密码登录。</source>
        <translation>Choose the kit the office prepared, enter the passphrase and fingerprint the office told you in person, and the office administrator's account (an office administrator prepares the laptop). This computer's database will be encrypted; team members then log in with their own accounts and passwords.</translation>
    </message>
    <message>
        <source>巡察工作包_….xkit</source>
        <translation>Team kit_….xkit</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>如 1A2B-3C4D-5E6F-7A8B-9C0D</source>
        <translation>e.g. 1A2B-3C4D-5E6F-7A8B-9C0D</translation>
    </message>
    <message>
        <source>工作包文件：</source>
        <translation>Kit file:</translation>
    </message>
    <message>
        <source>工作包口令：</source>
        <translation>Kit passphrase:</translation>
    </message>
    <message>
        <source>巡察办指纹：</source>
        <translation>Office fingerprint:</translation>
    </message>
    <message>
        <source>选择工作包</source>
        <translation>Choose the kit</translation>
    </message>
    <message>
        <source>巡察工作包 (*.xkit);;所有文件 (*)</source>
        <translation>Team kits (*.xkit);;All files (*)</translation>
    </message>
    <message>
        <source>请选择工作包文件。</source>
        <translation>Please choose the kit file.</translation>
    </message>
    <message>
        <source>请输入工作包口令。</source>
        <translation>Please enter the kit passphrase.</translation>
    </message>
    <message>
        <source>请输入巡察办当面或电话告知的指纹。</source>
        <translation>Please enter the fingerprint the office told you in person or by phone.</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <source>找不到工作包文件：{path}</source>
        <translation>Kit file not found: {path}</translation>
    </message>
    <message>
        <source>核对巡察办指纹</source>
        <translation>Check the office's fingerprint</translation>
    </message>
    <message>
        <source>进入工作台</source>
        <translation>Open the workbench</translation>
    </message>
    <message>
        <source>工作包已导入。

{summary}

请与巡察办当面核对：{trusted}
指纹不一致时不要使用本机数据，请联系巡察办。</source>
        <translation>The kit was imported.

{summary}

Compare in person with the office: {trusted}
If the fingerprints differ, do not use this computer's data and contact the office.</translation>
    </message>
    <message>
        <source>演示数据</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <source>打开演示数据</source>
        <translation>Open the demo</translation>
    </message>
    <message>
        <source>将在 {path} 生成一个虚构城市三年的巡察数据（单位、巡察组、谈话、问题台账、公文……），只需几秒钟。它与正式数据库分开存放；正式使用时，下次启动选择“巡察办”或“巡察组笔记本”。</source>
        <translation>Three years of a fictional city's inspections (units, teams, interviews, the register, documents…) will be generated in {path}, in a few seconds. It is kept apart from the real database; for real use, choose “office” or “team laptop” at the next start.</translation>
    </message>
    <message>
        <source>正在准备演示数据库…</source>
        <translation>Preparing the demo database…</translation>
    </message>
    <message>
        <source>巡察工作台 — 首次使用</source>
        <translation>Xuncha Workbench — first start</translation>
    </message>
    <message>
        <source>首次使用</source>
        <translation>First start</translation>
    </message>
    <message>
        <source>返回(&amp;B)</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>下一步(&amp;N)</source>
        <translation>&amp;Next</translation>
    </message>
</context>
<context>
    <name>GlobalSearch</name>
    <message>
        <source>搜索全部记录（Ctrl+F）</source>
        <translation>Search all records (Ctrl+F)</translation>
    </message>
    <message>
        <source>（其他巡察）</source>
        <translation> (other inspection)</translation>
    </message>
    <message>
        <source>（无标题）</source>
        <translation>(untitled)</translation>
    </message>
    <message>
        <source>只显示前 {n} 条，请输入更多文字缩小范围。</source>
        <translation> Only the first {n} are shown; type more to narrow down.</translation>
    </message>
    <message>
        <source>↑↓ 选择，Enter 打开，Esc 关闭。</source>
        <translation>↑↓ choose, Enter opens, Esc closes.</translation>
    </message>
    <message>
        <source>没有找到包含“{q}”的记录。</source>
        <translation>Nothing contains “{q}”.</translation>
    </message>
</context>
<context>
    <name>InterviewsPage</name>
    <message>
        <source>谈话记录</source>
        <translation>interview</translation>
    </message>
    <message>
        <source>谈话时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>谈话对象</source>
        <translation>Interviewee</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>必问</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>已签字</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>从单位人员中选择，或直接输入姓名</source>
        <translation>Pick from the unit's people, or type a name</translation>
    </message>
    <message>
        <source>（不属于四必谈）</source>
        <translation>(not a must-talk category)</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>例如：巡察组谈话室</source>
        <translation>e.g. the team's interview room</translation>
    </message>
    <message>
        <source>谈话对象已签字确认笔录</source>
        <translation>The interviewee signed the transcript</translation>
    </message>
    <message>
        <source>六必问：本次问到的事项</source>
        <translation>Must-ask topics covered in this interview</translation>
    </message>
    <message>
        <source>谈话要点，一两句话</source>
        <translation>The gist, in a sentence or two</translation>
    </message>
    <message>
        <source>问：……
答：……

（随打随存：每次修改都会先写入本机草稿，断电也不会丢失。）</source>
        <translation>Q: …
A: …

(Every change is kept in a local draft at once; a power cut loses nothing.)</translation>
    </message>
    <message>
        <source>谈话对象(&amp;W)：</source>
        <translation>Intervie&amp;wee:</translation>
    </message>
    <message>
        <source>职务：</source>
        <translation>Post:</translation>
    </message>
    <message>
        <source>谈话类型(&amp;Y)：</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <source>四必谈类别：</source>
        <translation>Must-talk category:</translation>
    </message>
    <message>
        <source>谈话人(&amp;P)：</source>
        <translation>Interviewers:</translation>
    </message>
    <message>
        <source>记录人：</source>
        <translation>Recorder:</translation>
    </message>
    <message>
        <source>开始时间(&amp;T)：</source>
        <translation>S&amp;tart:</translation>
    </message>
    <message>
        <source>结束时间：</source>
        <translation>End:</translation>
    </message>
    <message>
        <source>谈话地点(&amp;L)：</source>
        <translation>P&amp;lace:</translation>
    </message>
    <message>
        <source>谈话摘要(&amp;M)：</source>
        <translation>Su&amp;mmary:</translation>
    </message>
    <message>
        <source>谈话笔录(&amp;B)：</source>
        <translation>Transcript:</translation>
    </message>
    <message>
        <source>恢复草稿(&amp;R)</source>
        <translation>&amp;Restore draft</translation>
    </message>
    <message>
        <source>丢弃草稿</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <source>谈话记录：{name}（{time}）</source>
        <translation>Interview: {name} ({time})</translation>
    </message>
    <message>
        <source>（旧记录的类型；新的座谈请在“会议与测评”中登记）</source>
        <translation> (kind of older records; record new group talks under Meetings &amp; surveys)</translation>
    </message>
    <message>
        <source>（未填谈话对象）</source>
        <translation>(no interviewee yet)</translation>
    </message>
    <message>
        <source>与{who}的谈话</source>
        <translation>Interview with {who}</translation>
    </message>
    <message>
        <source>已保存 {time}</source>
        <translation>Saved {time}</translation>
    </message>
    <message>
        <source>发现上次未保存的草稿：{label}（{when}）。</source>
        <translation>An unsaved draft was left last time: {label} ({when}).</translation>
    </message>
    <message>
        <source>另有 {n} 份草稿。</source>
        <translation> {n} more draft(s).</translation>
    </message>
    <message>
        <source>已恢复草稿，请核对后保存。</source>
        <translation>Draft restored; check it and save.</translation>
    </message>
    <message>
        <source>等</source>
        <translation> etc.</translation>
    </message>
    <message>
        <source>六必问未问到：{items}</source>
        <translation>Must-ask not asked: {items}</translation>
    </message>
    <message>
        <source>六必问已全部问到</source>
        <translation>All must-ask topics asked</translation>
    </message>
    <message>
        <source>四必谈尚缺：{items}</source>
        <translation>Must-talk still missing: {items}</translation>
    </message>
    <message>
        <source>四必谈已全部谈到</source>
        <translation>All must-talk categories covered</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>巡察工作台</source>
        <translation>Xuncha Workbench</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>服务器上的数据库 {url} 还没有巡察工作台的数据表。请由巡察办的管理员先运行“xuncha --db {url} init”（见 README“An office server”一节）。</source>
        <translation>The database {url} on the server has no Xuncha Workbench tables yet. An office administrator must first run “xuncha --db {url} init” (see “An office server” in the README).</translation>
    </message>
    <message>
        <source>巡察(&amp;I)：</source>
        <translation>&amp;Inspection:</translation>
    </message>
    <message>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>工作清单</source>
        <translation>Checklists</translation>
    </message>
    <message>
        <source>谈话记录</source>
        <translation>Interviews</translation>
    </message>
    <message>
        <source>信访举报</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <source>查阅资料</source>
        <translation>Document reviews</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>问题台账</source>
        <translation>Findings register</translation>
    </message>
    <message>
        <source>公文</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>会议与测评</source>
        <translation>Meetings and surveys</translation>
    </message>
    <message>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>新建(&amp;N)</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>导出问题台账(&amp;E)…</source>
        <translation>&amp;Export findings register…</translation>
    </message>
    <message>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>搜索(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>巡察办工作台(&amp;O)…</source>
        <translation>Inspection &amp;office…</translation>
    </message>
    <message>
        <source>数据同步(&amp;Y)…</source>
        <translation>S&amp;ync…</translation>
    </message>
    <message>
        <source>设置(&amp;T)</source>
        <translation>Se&amp;ttings</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)</source>
        <translation>Interface &amp;language</translation>
    </message>
    <message>
        <source>机关信息(&amp;O)…</source>
        <translation>&amp;Organization profile…</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>快捷键(&amp;K)</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>界面语言将在下次启动时切换。</source>
        <translation>The interface language changes at the next start.</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>只读：数据库文件（或其文件夹）不可写，修改无法保存</source>
        <translation>Read-only: the database file (or its folder) cannot be written; changes cannot be saved</translation>
    </message>
    <message>
        <source>当前身份：{name}（{role}）</source>
        <translation>Signed in as {name} ({role})</translation>
    </message>
    <message>
        <source>正在读取巡察列表…</source>
        <translation>Loading inspections…</translation>
    </message>
    <message>
        <source>正在打开巡察…</source>
        <translation>Opening the inspection…</translation>
    </message>
    <message>
        <source>{name}　共 {n} 次巡察</source>
        <translation>{name}  ({n} inspections)</translation>
    </message>
    <message>
        <source>Ctrl+F  搜索全部记录
Ctrl+S  保存
Ctrl+N  新建
Ctrl+E  导出问题台账
Ctrl+1 … Ctrl+9  切换页面
F5  刷新
Alt+带下划线的字母  跳到对应的输入框或按钮</source>
        <translation>Ctrl+F  search every record
Ctrl+S  save
Ctrl+N  new
Ctrl+E  export the register
Ctrl+1 … Ctrl+9  switch pages
F5  refresh
Alt+underlined letter  jump to that field or button</translation>
    </message>
    <message>
        <source>（演示数据）</source>
        <translation> (demo data)</translation>
    </message>
    <message>
        <source>演示数据：{path}。正式使用时，删除或移走它不影响正式数据。</source>
        <translation>Demo data: {path}. Deleting or moving it does not touch real data.</translation>
    </message>
    <message>
        <source>暂无巡察：巡察办请在“视图 → 巡察办工作台（Ctrl+Shift+O）→ 轮次与进度”中新建巡察；巡察组请在“视图 → 数据同步”中导入工作包。</source>
        <translation>No inspections yet: the office creates one under View → Inspection office (Ctrl+Shift+O) → Rounds; a team imports its kit under View → Sync.</translation>
    </message>
    <message>
        <source>巡察工作台 — {name}</source>
        <translation>Xuncha Workbench — {name}</translation>
    </message>
    <message>
        <source>发现未保存的谈话笔录草稿，请到“谈话记录”页恢复。</source>
        <translation>An unsaved interview draft was found; restore it on the Interviews page.</translation>
    </message>
</context>
<context>
    <name>MeetingsPage</name>
    <message>
        <source>听取汇报记录</source>
        <translation>briefing</translation>
    </message>
    <message>
        <source>汇报时间</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <source>汇报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>汇报单位</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <source>主要内容</source>
        <translation>Main points</translation>
    </message>
    <message>
        <source>例如：机关三楼会议室</source>
        <translation>e.g. third-floor meeting room</translation>
    </message>
    <message>
        <source>从单位人员中选择，或直接输入姓名</source>
        <translation>Pick from the unit's people, or type a name</translation>
    </message>
    <message>
        <source>（未指明）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <source>汇报的主要内容：贯彻落实决策部署、全面从严治党、班子建设、上轮巡察整改等</source>
        <translation>What was reported: carrying out decisions, strict party governance, the leadership team, rectification after the last inspection…</translation>
    </message>
    <message>
        <source>汇报中需要核实或深入了解的情况</source>
        <translation>What the report leaves to verify or look into</translation>
    </message>
    <message>
        <source>汇报时间(&amp;T)：</source>
        <translation>Reported a&amp;t:</translation>
    </message>
    <message>
        <source>地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>汇报人(&amp;R)：</source>
        <translation>&amp;Reporter:</translation>
    </message>
    <message>
        <source>汇报人职务：</source>
        <translation>Reporter's post:</translation>
    </message>
    <message>
        <source>汇报单位：</source>
        <translation>Reporting unit:</translation>
    </message>
    <message>
        <source>听取汇报的巡察干部(&amp;P)：</source>
        <translation>Inspectors &amp;present:</translation>
    </message>
    <message>
        <source>汇报主要内容(&amp;C)：</source>
        <translation>&amp;Content:</translation>
    </message>
    <message>
        <source>需关注的问题：</source>
        <translation>To look into:</translation>
    </message>
    <message>
        <source>听取汇报：{name}</source>
        <translation>Briefing: {name}</translation>
    </message>
    <message>
        <source>分类座谈记录</source>
        <translation>group talk</translation>
    </message>
    <message>
        <source>座谈时间</source>
        <translation>Held at</translation>
    </message>
    <message>
        <source>座谈对象</source>
        <translation>Participants</translation>
    </message>
    <message>
        <source>应到/实到</source>
        <translation>Invited/present</translation>
    </message>
    <message>
        <source>主持</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>座谈记录</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>到会人员，每行一人，如：王某某（办公室主任）</source>
        <translation>Who came, one per line, e.g. Wang (head of the general office)</translation>
    </message>
    <message>
        <source>座谈中反映的主要情况和问题</source>
        <translation>What participants raised</translation>
    </message>
    <message>
        <source>座谈时间(&amp;T)：</source>
        <translation>Held a&amp;t:</translation>
    </message>
    <message>
        <source>座谈地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>座谈对象(&amp;K)：</source>
        <translation>Participant &amp;category:</translation>
    </message>
    <message>
        <source>单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>主持座谈(&amp;P)：</source>
        <translation>&amp;Hosted by:</translation>
    </message>
    <message>
        <source>应到人数：</source>
        <translation>Invited:</translation>
    </message>
    <message>
        <source>到会人员(&amp;A)：</source>
        <translation>&amp;Attendance:</translation>
    </message>
    <message>
        <source>座谈记录(&amp;C)：</source>
        <translation>&amp;Notes:</translation>
    </message>
    <message>
        <source>实到 {n} 人</source>
        <translation>{n} present</translation>
    </message>
    <message>
        <source>分类座谈：{who}</source>
        <translation>Group talk: {who}</translation>
    </message>
    <message>
        <source>添加测评项目</source>
        <translation>Add an item</translation>
    </message>
    <message>
        <source>删除所选项目</source>
        <translation>Remove selected items</translation>
    </message>
    <message>
        <source>测评项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>好评率</source>
        <translation>Favourable</translation>
    </message>
    <message>
        <source>新测评项目</source>
        <translation>New item</translation>
    </message>
    <message>
        <source>“{item}”的“{grade}”票数应为整数。</source>
        <translation>The votes for “{grade}” of “{item}” must be a whole number.</translation>
    </message>
    <message>
        <source>民主测评（问卷）记录</source>
        <translation>survey</translation>
    </message>
    <message>
        <source>测评时间</source>
        <translation>Held at</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>发放/收回/有效</source>
        <translation>Handed out/returned/valid</translation>
    </message>
    <message>
        <source>首项好评率</source>
        <translation>First item favourable</translation>
    </message>
    <message>
        <source>例如：领导班子和领导干部民主测评</source>
        <translation>e.g. Democratic evaluation of the leadership team</translation>
    </message>
    <message>
        <source>例如：领导班子；或某位领导干部</source>
        <translation>e.g. the leadership team, or a named leader</translation>
    </message>
    <message>
        <source>发放</source>
        <translation>Handed out</translation>
    </message>
    <message>
        <source>收回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>评价等次，用顿号分隔，如：好、较好、一般、差</source>
        <translation>Grades separated by 、 e.g. 好、较好、一般、差</translation>
    </message>
    <message>
        <source>测评结果分析：哪些项目评价偏低，需在谈话中进一步了解</source>
        <translation>Analysis: which items scored low and should be followed up in interviews</translation>
    </message>
    <message>
        <source>类型(&amp;K)：</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>名称(&amp;T)：</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <source>测评对象：</source>
        <translation>Evaluated:</translation>
    </message>
    <message>
        <source>测评时间：</source>
        <translation>Held at:</translation>
    </message>
    <message>
        <source>测评票（份）：</source>
        <translation>Ballots:</translation>
    </message>
    <message>
        <source>评价等次：</source>
        <translation>Grades:</translation>
    </message>
    <message>
        <source>测评结果(&amp;R)：</source>
        <translation>&amp;Results:</translation>
    </message>
    <message>
        <source>结果分析：</source>
        <translation>Analysis:</translation>
    </message>
    <message>
        <source>{kind}：{title}</source>
        <translation>{kind}: {title}</translation>
    </message>
    <message>
        <source>领导班子总体评价</source>
        <translation>Overall rating of the leadership team</translation>
    </message>
    <message>
        <source>见面会（反馈会）记录</source>
        <translation>meeting</translation>
    </message>
    <message>
        <source>会议时间</source>
        <translation>Held at</translation>
    </message>
    <message>
        <source>会议</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>参会人数</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <source>一般由被巡察党组织主要负责人主持</source>
        <translation>Usually chaired by the head of the inspected party organisation</translation>
    </message>
    <message>
        <source>参会范围，如：领导班子成员、中层以上干部及干部职工代表</source>
        <translation>Who attended, e.g. the leadership, middle managers and staff representatives</translation>
    </message>
    <message>
        <source>会议议程、组长讲话要点、表态发言等</source>
        <translation>Agenda, the team leader's speech, the unit's pledge…</translation>
    </message>
    <message>
        <source>会议(&amp;K)：</source>
        <translation>&amp;Meeting:</translation>
    </message>
    <message>
        <source>会议时间(&amp;T)：</source>
        <translation>Held a&amp;t:</translation>
    </message>
    <message>
        <source>会议地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>主持人：</source>
        <translation>Chaired by:</translation>
    </message>
    <message>
        <source>参会人数：</source>
        <translation>Attendance:</translation>
    </message>
    <message>
        <source>参会人员：</source>
        <translation>Attendees:</translation>
    </message>
    <message>
        <source>会议主要内容(&amp;C)：</source>
        <translation>&amp;Content:</translation>
    </message>
    <message>
        <source>{kind}：{place}</source>
        <translation>{kind}: {place}</translation>
    </message>
    <message>
        <source>听取汇报</source>
        <translation>Briefings</translation>
    </message>
    <message>
        <source>分类座谈</source>
        <translation>Group talks</translation>
    </message>
    <message>
        <source>民主测评/问卷</source>
        <translation>Evaluations and surveys</translation>
    </message>
    <message>
        <source>见面会/反馈会</source>
        <translation>Arrival and feedback meetings</translation>
    </message>
</context>
<context>
    <name>Office</name>
    <message>
        <source>问题线索台账</source>
        <translation>Clue ledger</translation>
    </message>
    <message>
        <source>巡察：</source>
        <translation>Inspection:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>巡察</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <source>被反映人</source>
        <translation>About</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>线索摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>移交对象</source>
        <translation>Handed to</translation>
    </message>
    <message>
        <source>移交日期</source>
        <translation>Handed over on</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（超3个月未反馈）</source>
        <translation> (no outcome after 3 months)</translation>
    </message>
    <message>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>问题线索列表</source>
        <translation>Clue list</translation>
    </message>
    <message>
        <source>没有符合条件的问题线索。</source>
        <translation>No clues match.</translation>
    </message>
    <message>
        <source>移交</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <source>登记移交</source>
        <translation>Record the hand-over</translation>
    </message>
    <message>
        <source>办理结果（受理机关反馈）</source>
        <translation>Outcome (as the receiving body reported)</translation>
    </message>
    <message>
        <source>（不涉及）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>同时办结该线索</source>
        <translation>Also conclude the clue</translation>
    </message>
    <message>
        <source>登记办理结果</source>
        <translation>Record the outcome</translation>
    </message>
    <message>
        <source>四种形态</source>
        <translation>Four forms</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation>Decided on</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>全部巡察</source>
        <translation>All inspections</translation>
    </message>
    <message>
        <source>移交超过3个月未反馈办理结果</source>
        <translation>Handed over more than 3 months ago without an outcome</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>{form}{n}人</source>
        <translation>{form}: {n}</translation>
    </message>
    <message>
        <source>共{n}条线索：待移交{pending}条，已移交{handed}条，已办结{done}条。反馈结果：初步核实{checked}件，立案审查{filed}件，党纪政务处分{people}人</source>
        <translation>{n} clues: {pending} to hand over, {handed} handed over, {done} concluded. Outcomes: {checked} preliminary checks, {filed} cases filed, {people} people disciplined</translation>
    </message>
    <message>
        <source>（四种形态：{forms}）</source>
        <translation> (four forms: {forms})</translation>
    </message>
    <message>
        <source>；{n}条超过3个月未反馈（黄色）</source>
        <translation>; {n} without an outcome after 3 months (yellow)</translation>
    </message>
    <message>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <source>请先选择一条线索。</source>
        <translation>Please choose a clue first.</translation>
    </message>
    <message>
        <source>已登记移交{to}。</source>
        <translation>Recorded as handed to {to}.</translation>
    </message>
    <message>
        <source>已登记办理结果。</source>
        <translation>Outcome recorded.</translation>
    </message>
    <message>
        <source>巡察全覆盖</source>
        <translation>Full coverage</translation>
    </message>
    <message>
        <source>全覆盖周期：自</source>
        <translation>Coverage term from</translation>
    </message>
    <message>
        <source>全覆盖周期起始日期</source>
        <translation>Coverage term start date</translation>
    </message>
    <message>
        <source>起</source>
        <translation>for</translation>
    </message>
    <message>
        <source> 年</source>
        <translation> years</translation>
    </message>
    <message>
        <source>全覆盖周期年数</source>
        <translation>Coverage term in years</translation>
    </message>
    <message>
        <source>设为本办全覆盖周期</source>
        <translation>Set as the office's coverage term</translation>
    </message>
    <message>
        <source>显示：</source>
        <translation>Show:</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>按单位名称筛选</source>
        <translation>Filter by unit name</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>单位类别</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <source>覆盖情况</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>本周期巡察</source>
        <translation>Inspected this term</translation>
    </message>
    <message>
        <source>最近一次巡察</source>
        <translation>Last inspection</translation>
    </message>
    <message>
        <source>巡察时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>计划中的巡察</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>各类单位覆盖情况</source>
        <translation>Coverage by unit kind</translation>
    </message>
    <message>
        <source>已巡察</source>
        <translation>Inspected</translation>
    </message>
    <message>
        <source>已列入计划</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>未巡察</source>
        <translation>Never inspected</translation>
    </message>
    <message>
        <source>全覆盖周期已设为{term}。</source>
        <translation>The coverage term is now {term}.</translation>
    </message>
    <message>
        <source>巡察人才库</source>
        <translation>Inspector pool</translation>
    </message>
    <message>
        <source>按姓名、单位或专业特长筛选</source>
        <translation>Filter by name, unit or expertise</translation>
    </message>
    <message>
        <source>只看组长库</source>
        <translation>Leader pool only</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>Add a person</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>（不在库）</source>
        <translation> (out of the pool)</translation>
    </message>
    <message>
        <source>组长库</source>
        <translation>Leader pool</translation>
    </message>
    <message>
        <source>所在单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>专业特长</source>
        <translation>Expertise</translation>
    </message>
    <message>
        <source>参加巡察</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <source>最近一次</source>
        <translation>Last</translation>
    </message>
    <message>
        <source>回避关系</source>
        <translation>Recusal ties</translation>
    </message>
    <message>
        <source>巡察人才库人员列表</source>
        <translation>Inspector pool list</translation>
    </message>
    <message>
        <source>没有符合条件的人员。</source>
        <translation>Nobody matches.</translation>
    </message>
    <message>
        <source>名录外的单位名称</source>
        <translation>Unit not in the directory</translation>
    </message>
    <message>
        <source>列入组长库</source>
        <translation>In the leader pool</translation>
    </message>
    <message>
        <source>在库（可选派）</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>职级</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>相关单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>亲属姓名</source>
        <translation>Relative's name</translation>
    </message>
    <message>
        <source>关系</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>回避关系列表</source>
        <translation>Recusal ties list</translation>
    </message>
    <message>
        <source>未记录回避关系。</source>
        <translation>No ties recorded.</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>组内职务</source>
        <translation>Role in the team</translation>
    </message>
    <message>
        <source>进驻日期</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>授权书</source>
        <translation>Authorisation</translation>
    </message>
    <message>
        <source>参加巡察列表</source>
        <translation>Inspections served on</translation>
    </message>
    <message>
        <source>尚未参加巡察。</source>
        <translation>Has not served on an inspection yet.</translation>
    </message>
    <message>
        <source>（不在单位名录中）</source>
        <translation>(not in the directory)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>已保存{name}。</source>
        <translation>Saved {name}.</translation>
    </message>
    <message>
        <source>请先选择或保存一名人员。</source>
        <translation>Please choose or save a person first.</translation>
    </message>
    <message>
        <source>已记录回避关系。</source>
        <translation>Recusal tie recorded.</translation>
    </message>
    <message>
        <source>请先选择一条回避关系。</source>
        <translation>Please choose a recusal tie first.</translation>
    </message>
    <message>
        <source>已删除回避关系。</source>
        <translation>Recusal tie removed.</translation>
    </message>
    <message>
        <source>● 逾期</source>
        <translation>● Overdue</translation>
    </message>
    <message>
        <source>● 提醒</source>
        <translation>● Reminder</translation>
    </message>
    <message>
        <source>○ 待办</source>
        <translation>○ To do</translation>
    </message>
    <message>
        <source>未定</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>巡察轮次与进度</source>
        <translation>Rounds and progress</translation>
    </message>
    <message>
        <source>新建轮次…</source>
        <translation>New round…</translation>
    </message>
    <message>
        <source>新建巡察…</source>
        <translation>New inspection…</translation>
    </message>
    <message>
        <source>正在进行的巡察</source>
        <translation>Ongoing inspections</translation>
    </message>
    <message>
        <source>轮次 / 巡察</source>
        <translation>Round / inspection</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>请在左侧选择一次巡察。</source>
        <translation>Choose an inspection on the left.</translation>
    </message>
    <message>
        <source>进入下一阶段</source>
        <translation>Move to the next stage</translation>
    </message>
    <message>
        <source>安排回头看</source>
        <translation>Plan a follow-up</translation>
    </message>
    <message>
        <source>接续原巡察未销号整改事项</source>
        <translation>Take over open rectification items</translation>
    </message>
    <message>
        <source>下一步工作</source>
        <translation>Next steps</translation>
    </message>
    <message>
        <source>被巡察单位</source>
        <translation>Inspected units</translation>
    </message>
    <message>
        <source>时间与公告</source>
        <translation>Dates and announcement</translation>
    </message>
    <message>
        <source>进驻</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <source>举报电话</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <source>举报信箱</source>
        <translation>Mailbox</translation>
    </message>
    <message>
        <source>{name}（{year}年）</source>
        <translation>{name} ({year})</translation>
    </message>
    <message>
        <source>未编入轮次</source>
        <translation>Not in a round</translation>
    </message>
    <message>
        <source>{n}次</source>
        <translation>{n}</translation>
    </message>
    <message>
        <source>当前阶段：{stage}</source>
        <translation>Stage: {stage}</translation>
    </message>
    <message>
        <source>进驻 {day}</source>
        <translation>Arrival {day}</translation>
    </message>
    <message>
        <source> 至 {day}</source>
        <translation> to {day}</translation>
    </message>
    <message>
        <source>反馈 {day}</source>
        <translation>Feedback {day}</translation>
    </message>
    <message>
        <source>回头看：{name}</source>
        <translation>Follow-up of: {name}</translation>
    </message>
    <message>
        <source>　|　</source>
        <translation>  |  </translation>
    </message>
    <message>
        <source>本阶段没有待办事项。</source>
        <translation>Nothing to do at this stage.</translation>
    </message>
    <message>
        <source>尚未确定</source>
        <translation>not decided yet</translation>
    </message>
    <message>
        <source>进入「{stage}」阶段</source>
        <translation>Move to “{stage}”</translation>
    </message>
    <message>
        <source>已是最后阶段</source>
        <translation>Last stage reached</translation>
    </message>
    <message>
        <source>「{name}」已进入「{stage}」阶段。</source>
        <translation>“{name}” is now at “{stage}”.</translation>
    </message>
    <message>
        <source>已安排回头看，接续{n}项未销号整改事项。</source>
        <translation>Follow-up planned; it takes over {n} open rectification items.</translation>
    </message>
    <message>
        <source>已接续{n}项整改事项。</source>
        <translation>Took over {n} rectification items.</translation>
    </message>
    <message>
        <source>没有需要接续的整改事项。</source>
        <translation>No rectification items to take over.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>已添加被巡察单位。</source>
        <translation>Inspected unit added.</translation>
    </message>
    <message>
        <source>已新建「{name}」。</source>
        <translation>Created “{name}”.</translation>
    </message>
    <message>
        <source>已新建「{name}」，请组建巡察组。</source>
        <translation>Created “{name}”; now form its team.</translation>
    </message>
    <message>
        <source>新建巡察轮次</source>
        <translation>New round</translation>
    </message>
    <message>
        <source>轮次名称</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>第几轮</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>新建巡察</source>
        <translation>New inspection</translation>
    </message>
    <message>
        <source>（不编入轮次）</source>
        <translation>(no round)</translation>
    </message>
    <message>
        <source>如：市委第一巡察组</source>
        <translation>e.g. Municipal inspection team 1</translation>
    </message>
    <message>
        <source>巡察名称</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <source>巡察类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>巡察轮次</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>巡察组</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>开展巡察（次）</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <source>巡察单位（个）</source>
        <translation>Units inspected</translation>
    </message>
    <message>
        <source>发现问题（个）</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source>移交问题线索（条）</source>
        <translation>Clues handed over</translation>
    </message>
    <message>
        <source>立案（件）</source>
        <translation>Cases filed</translation>
    </message>
    <message>
        <source>党纪政务处分（人）</source>
        <translation>People disciplined</translation>
    </message>
    <message>
        <source>整改完成率</source>
        <translation>Rectification rate</translation>
    </message>
    <message>
        <source>逾期未完成（项）</source>
        <translation>Overdue items</translation>
    </message>
    <message>
        <source>统计分析</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>年度：</source>
        <translation>Year:</translation>
    </message>
    <message>
        <source>轮次：</source>
        <translation>Round:</translation>
    </message>
    <message>
        <source>导出Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <source>导出PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <source>各轮次发现问题（个）</source>
        <translation>Problems found per round</translation>
    </message>
    <message>
        <source>按被巡察单位类别（问题个数）</source>
        <translation>Problems by unit kind</translation>
    </message>
    <message>
        <source>按问题类别（个）</source>
        <translation>Problems by category</translation>
    </message>
    <message>
        <source>按违反纪律（个）</source>
        <translation>Problems by discipline</translation>
    </message>
    <message>
        <source>运用“四种形态”处置（人）</source>
        <translation>People under the four forms</translation>
    </message>
    <message>
        <source>整改情况（项）</source>
        <translation>Rectification items</translation>
    </message>
    <message>
        <source>历年累计</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>{year}年</source>
        <translation>{year}</translation>
    </message>
    <message>
        <source>全部轮次</source>
        <translation>All rounds</translation>
    </message>
    <message>
        <source>同比提高{n}个百分点</source>
        <translation>up {n} points year on year</translation>
    </message>
    <message>
        <source>同比下降{n}个百分点</source>
        <translation>down {n} points year on year</translation>
    </message>
    <message>
        <source>已销号</source>
        <translation>Closed out</translation>
    </message>
    <message>
        <source>已完成待销号</source>
        <translation>Done, awaiting close-out</translation>
    </message>
    <message>
        <source>整改中</source>
        <translation>Rectifying</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>导出统计表</source>
        <translation>Export the statistics</translation>
    </message>
    <message>
        <source>巡察工作统计（{scope}）.xlsx</source>
        <translation>Inspection statistics ({scope}).xlsx</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出到 {path}。</source>
        <translation>Exported to {path}.</translation>
    </message>
    <message>
        <source>导出统计分析</source>
        <translation>Export the analysis</translation>
    </message>
    <message>
        <source>巡察工作统计分析（{scope}）.pdf</source>
        <translation>Inspection statistics analysis ({scope}).pdf</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>已导出到 {path}（{n}页）。</source>
        <translation>Exported to {path} ({n} pages).</translation>
    </message>
    <message>
        <source>组建巡察组</source>
        <translation>Team forming</translation>
    </message>
    <message>
        <source>组内人数：</source>
        <translation>Team size:</translation>
    </message>
    <message>
        <source>提出人选建议</source>
        <translation>Propose people</translation>
    </message>
    <message>
        <source>本次巡察需要的专业特长</source>
        <translation>Expertise this inspection needs</translation>
    </message>
    <message>
        <source>人才库人选（建议人选在前；红色：应当回避；黄色：正在其他巡察组）</source>
        <translation>Pool candidates (proposed first; red: must recuse; yellow: on another team now)</translation>
    </message>
    <message>
        <source>人才库人选列表</source>
        <translation>Pool candidate list</translation>
    </message>
    <message>
        <source>人才库中没有可选派的人员。</source>
        <translation>Nobody in the pool can be assigned.</translation>
    </message>
    <message>
        <source>现有巡察组成员列表</source>
        <translation>Team member list</translation>
    </message>
    <message>
        <source>尚未确定巡察组成员。</source>
        <translation>No team members yet.</translation>
    </message>
    <message>
        <source>建议</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>所在单位及职务</source>
        <translation>Unit and post</translation>
    </message>
    <message>
        <source>匹配需要</source>
        <translation>Matches</translation>
    </message>
    <message>
        <source>近两年参加巡察</source>
        <translation>Inspections in 2 years</translation>
    </message>
    <message>
        <source>回避及提示</source>
        <translation>Recusal and notes</translation>
    </message>
    <message>
        <source>采纳建议（全部加入）</source>
        <translation>Accept the proposal (add all)</translation>
    </message>
    <message>
        <source>设为组长</source>
        <translation>Make leader</translation>
    </message>
    <message>
        <source>设为副组长</source>
        <translation>Make deputy leader</translation>
    </message>
    <message>
        <source>设为组员</source>
        <translation>Make member</translation>
    </message>
    <message>
        <source>现有巡察组</source>
        <translation>Current team</translation>
    </message>
    <message>
        <source>组长授权书</source>
        <translation>Leader's authorisation</translation>
    </message>
    <message>
        <source>回避</source>
        <translation>Recusal</translation>
    </message>
    <message>
        <source>移出巡察组</source>
        <translation>Remove from the team</translation>
    </message>
    <message>
        <source>出具组长授权书（一次一授权）</source>
        <translation>Issue the leader's authorisation (one per inspection)</translation>
    </message>
    <message>
        <source>{name}（{kind}，{stage}）</source>
        <translation>{name} ({kind}, {stage})</translation>
    </message>
    <message>
        <source>★ 组长</source>
        <translation>★ Leader</translation>
    </message>
    <message>
        <source>✓ 组员</source>
        <translation>✓ Member</translation>
    </message>
    <message>
        <source>正在{name}</source>
        <translation>now on {name}</translation>
    </message>
    <message>
        <source>（组长库）</source>
        <translation> (leader pool)</translation>
    </message>
    <message>
        <source>　</source>
        <translation>, </translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>未出具</source>
        <translation>not issued</translation>
    </message>
    <message>
        <source>请先在人才库人选中选择一人。</source>
        <translation>Please choose a pool candidate first.</translation>
    </message>
    <message>
        <source>已将{n}人加入巡察组。</source>
        <translation>Added {n} to the team.</translation>
    </message>
    <message>
        <source>请先在现有巡察组中选择一人。</source>
        <translation>Please choose a team member first.</translation>
    </message>
    <message>
        <source>已移出巡察组。</source>
        <translation>Removed from the team.</translation>
    </message>
    <message>
        <source>已出具{name}同志的组长授权书，文号{number}。</source>
        <translation>Issued the leader's authorisation for {name}, number {number}.</translation>
    </message>
    <message>
        <source>单位名录</source>
        <translation>Unit directory</translation>
    </message>
    <message>
        <source>按名称筛选</source>
        <translation>Filter by name</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>从Excel导入…</source>
        <translation>Import from Excel…</translation>
    </message>
    <message>
        <source>导出到Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>新建单位</source>
        <translation>New unit</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>简称</source>
        <translation>Short name</translation>
    </message>
    <message>
        <source>上级单位</source>
        <translation>Parent unit</translation>
    </message>
    <message>
        <source>单位代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>单位列表</source>
        <translation>Unit list</translation>
    </message>
    <message>
        <source>没有符合条件的单位。</source>
        <translation>No units match.</translation>
    </message>
    <message>
        <source>单位信息</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>已保存「{name}」。</source>
        <translation>Saved “{name}”.</translation>
    </message>
    <message>
        <source>请先选择要删除的单位。</source>
        <translation>Please choose the unit to delete first.</translation>
    </message>
    <message>
        <source>单位已删除（可恢复）。</source>
        <translation>Unit deleted (it can be restored).</translation>
    </message>
    <message>
        <source>导入单位名录</source>
        <translation>Import the unit directory</translation>
    </message>
    <message>
        <source>导出单位名录</source>
        <translation>Export the unit directory</translation>
    </message>
    <message>
        <source>单位名录.xlsx</source>
        <translation>Unit directory.xlsx</translation>
    </message>
    <message>
        <source>已导出{n}个单位到 {path}。</source>
        <translation>Exported {n} units to {path}.</translation>
    </message>
    <message>
        <source>全覆盖</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>轮次与进度</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <source>人才库</source>
        <translation>Inspector pool</translation>
    </message>
    <message>
        <source>整改督办</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>线索台账</source>
        <translation>Clues</translation>
    </message>
    <message>
        <source>巡察工作台 — 巡察办</source>
        <translation>Xuncha Workbench — Inspection office</translation>
    </message>
    <message>
        <source>当前用户：{name}　　数据截至：{day}</source>
        <translation>User: {name}    Data as of: {day}</translation>
    </message>
</context>
<context>
    <name>PetitionsPage</name>
    <message>
        <source>信访举报</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <source>信访件</source>
        <translation>petition</translation>
    </message>
    <message>
        <source>收到时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>被反映人</source>
        <translation>About</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>反映内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>匿名举报（不登记举报人信息）</source>
        <translation>Anonymous (no reporter details kept)</translation>
    </message>
    <message>
        <source>（未指明）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <source>反映的主要问题，尽量保留原话</source>
        <translation>What is reported, in the reporter's words where possible</translation>
    </message>
    <message>
        <source>核实、转办或了结的情况</source>
        <translation>How it was verified, transferred or concluded</translation>
    </message>
    <message>
        <source>收到时间(&amp;T)：</source>
        <translation>Received a&amp;t:</translation>
    </message>
    <message>
        <source>来源渠道(&amp;Q)：</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>举报人(&amp;R)：</source>
        <translation>&amp;Reporter:</translation>
    </message>
    <message>
        <source>联系方式：</source>
        <translation>Contact:</translation>
    </message>
    <message>
        <source>被反映人(&amp;B)：</source>
        <translation>A&amp;bout:</translation>
    </message>
    <message>
        <source>被反映人职务：</source>
        <translation>Their post:</translation>
    </message>
    <message>
        <source>涉及单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>反映内容(&amp;C)：</source>
        <translation>&amp;Content:</translation>
    </message>
    <message>
        <source>办理状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>办理情况：</source>
        <translation>Handling:</translation>
    </message>
    <message>
        <source>信访件：{excerpt}</source>
        <translation>Petition: {excerpt}</translation>
    </message>
    <message>
        <source>信访件：反映{who}</source>
        <translation>Petition about {who}</translation>
    </message>
</context>
<context>
    <name>RecordKinds</name>
    <message>
        <source>谈话</source>
        <translation>Interview</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Petition</translation>
    </message>
    <message>
        <source>查阅资料</source>
        <translation>Document review</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>听取汇报</source>
        <translation>Briefing</translation>
    </message>
    <message>
        <source>分类座谈</source>
        <translation>Group talk</translation>
    </message>
    <message>
        <source>民主测评</source>
        <translation>Democratic evaluation</translation>
    </message>
    <message>
        <source>见面会/反馈会</source>
        <translation>Arrival/feedback meeting</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>新建(&amp;N)</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>新建一条记录（Ctrl+N）</source>
        <translation>New record (Ctrl+N)</translation>
    </message>
    <message>
        <source>{noun}列表</source>
        <translation>{noun} list</translation>
    </message>
    <message>
        <source>附件（扫描件、照片、信函等）</source>
        <translation>Attachments (scans, photos, letters…)</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>删除(&amp;D)</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>提出问题(&amp;F)</source>
        <translation>Raise a &amp;finding</translation>
    </message>
    <message>
        <source>以本记录为来源起草问题底稿</source>
        <translation>Draft a working paper from this record</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <source>新建{noun}</source>
        <translation>New {noun}</translation>
    </message>
    <message>
        <source>（未保存）</source>
        <translation> (unsaved)</translation>
    </message>
    <message>
        <source>没有需要保存的修改。</source>
        <translation>Nothing to save: no changes.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>确定删除这条{noun}吗？删除后可由管理员恢复。</source>
        <translation>Delete this {noun}? An administrator can restore it.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>已删除。</source>
        <translation>Deleted.</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>步骤</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>审核意见；退回时必须写明理由</source>
        <translation>Review comment; required when sending back</translation>
    </message>
    <message>
        <source>意见(&amp;O)：</source>
        <translation>C&amp;omment:</translation>
    </message>
    <message>
        <source>提交审核(&amp;U)</source>
        <translation>S&amp;ubmit for review</translation>
    </message>
    <message>
        <source>审核通过(&amp;P)</source>
        <translation>A&amp;pprove</translation>
    </message>
    <message>
        <source>退回(&amp;B)</source>
        <translation>Send &amp;back</translation>
    </message>
    <message>
        <source>保存底稿后即可提交审核。</source>
        <translation>Save the working paper, then submit it for review.</translation>
    </message>
    <message>
        <source>审核状态：{state}</source>
        <translation>Review: {state}</translation>
    </message>
    <message>
        <source>组长审签(&amp;P)</source>
        <translation>Leader a&amp;pproves</translation>
    </message>
</context>
<context>
    <name>Security</name>
    <message>
        <source>正在保存……</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords differ.</translation>
    </message>
    <message>
        <source>正在更换数据库密钥……{percent}%</source>
        <translation>Re-keying the database… {percent}%</translation>
    </message>
    <message>
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>Confirm password</translation>
    </message>
    <message>
        <source>重设密码：{name}</source>
        <translation>Reset password: {name}</translation>
    </message>
    <message>
        <source>新建账户</source>
        <translation>New account</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>本机可登录</source>
        <translation>Can log in here</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>否（需重设密码）</source>
        <translation>no (needs a password reset)</translation>
    </message>
    <message>
        <source>账户管理</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>重设密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>改为此角色</source>
        <translation>Change to this role</translation>
    </message>
    <message>
        <source>停用/启用</source>
        <translation>Disable/enable</translation>
    </message>
    <message>
        <source>只有管理员可以管理账户。</source>
        <translation>Only an administrator can manage accounts.</translation>
    </message>
    <message>
        <source>已新建账户。</source>
        <translation>Account created.</translation>
    </message>
    <message>
        <source>请先选择一个账户。</source>
        <translation>Please choose an account first.</translation>
    </message>
    <message>
        <source>已重设密码。</source>
        <translation>Password reset.</translation>
    </message>
    <message>
        <source>已修改角色。</source>
        <translation>Role changed.</translation>
    </message>
    <message>
        <source>已停用。</source>
        <translation>Disabled.</translation>
    </message>
    <message>
        <source>已启用。</source>
        <translation>Enabled.</translation>
    </message>
    <message>
        <source>安全(&amp;A)</source>
        <translation>Sec&amp;urity</translation>
    </message>
    <message>
        <source>修改我的密码…</source>
        <translation>Change my password…</translation>
    </message>
    <message>
        <source>账户管理…</source>
        <translation>Accounts…</translation>
    </message>
    <message>
        <source>审计记录…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>立即锁定</source>
        <translation>Lock now</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>否</source>
        <translation>no</translation>
    </message>
    <message>
        <source>（未记录）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>审计记录</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>全部操作人</source>
        <translation>All users</translation>
    </message>
    <message>
        <source>全部记录类型</source>
        <translation>All kinds of record</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record ID</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>记录类型</source>
        <translation>Kind of record</translation>
    </message>
    <message>
        <source>修改的字段</source>
        <translation>Fields changed</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>修改内容中的文字</source>
        <translation>Words in the changes</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>加载更多</source>
        <translation>Load more</translation>
    </message>
    <message>
        <source>校验变更链</source>
        <translation>Verify the change chains</translation>
    </message>
    <message>
        <source>正在查询……</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>共 {total} 条，已显示 {shown} 条</source>
        <translation>{shown} of {total} shown</translation>
    </message>
    <message>
        <source>正在校验变更链……</source>
        <translation>Verifying the change chains…</translation>
    </message>
    <message>
        <source>校验通过：{events} 条变更，{sites} 条变更链完整。</source>
        <translation>Verified: {events} change(s); {sites} change chain(s) intact.</translation>
    </message>
    <message>
        <source>校验未通过：</source>
        <translation>Verification failed: </translation>
    </message>
    <message>
        <source>巡察工作台已锁定</source>
        <translation>Xuncha Workbench is locked</translation>
    </message>
    <message>
        <source>长时间未操作，已锁定以保护数据。
{user}，请输入密码继续。</source>
        <translation>Locked after a long idle time to protect the data.
{user}, enter your password to continue.</translation>
    </message>
    <message>
        <source>退出程序</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <source>正在验证……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>巡察工作台 — 登录</source>
        <translation>Xuncha Workbench — log in</translation>
    </message>
    <message>
        <source>巡察工作台 — 首次使用</source>
        <translation>Xuncha Workbench — first start</translation>
    </message>
    <message>
        <source>首次使用：请创建管理员账户。数据将加密保存在本机，密码是打开数据的唯一钥匙，遗失后无法找回，请牢记并妥善保管。</source>
        <translation>First start: create the administrator account. The data will be stored encrypted on this computer. The password is the only key to it and cannot be recovered if lost: remember it and keep it safe.</translation>
    </message>
    <message>
        <source>数据库：{path}</source>
        <translation>Database: {path}</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>确认密码</source>
        <translation>Confirm password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>创建并进入</source>
        <translation>Create and open</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>请输入用户名。</source>
        <translation>Please enter a user name.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <source>正在准备……</source>
        <translation>Preparing…</translation>
    </message>
    <message>
        <source>请等待 {n} 秒</source>
        <translation>Wait {n} s</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>走访</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>走访记录</source>
        <translation>visit</translation>
    </message>
    <message>
        <source>走访时间</source>
        <translation>Visited at</translation>
    </message>
    <message>
        <source>走访地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>走访对象</source>
        <translation>People met</translation>
    </message>
    <message>
        <source>走访人</source>
        <translation>Visitors</translation>
    </message>
    <message>
        <source>例如：某村村委会、某项目工地</source>
        <translation>e.g. a village committee, a project site</translation>
    </message>
    <message>
        <source>走访了哪些干部群众</source>
        <translation>Whom the team met</translation>
    </message>
    <message>
        <source>（未指明）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <source>了解到的情况</source>
        <translation>What the team learned</translation>
    </message>
    <message>
        <source>走访时间(&amp;T)：</source>
        <translation>Visited a&amp;t:</translation>
    </message>
    <message>
        <source>走访地点(&amp;L)：</source>
        <translation>P&amp;lace:</translation>
    </message>
    <message>
        <source>走访人(&amp;P)：</source>
        <translation>Visitors:</translation>
    </message>
    <message>
        <source>走访对象(&amp;M)：</source>
        <translation>People &amp;met:</translation>
    </message>
    <message>
        <source>单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>走访情况(&amp;C)：</source>
        <translation>&amp;Content:</translation>
    </message>
    <message>
        <source>走访：{place}</source>
        <translation>Visit: {place}</translation>
    </message>
</context>
<context>
    <name>WorkingPaperEditor</name>
    <message>
        <source>一句话概括问题</source>
        <translation>The problem in one sentence</translation>
    </message>
    <message>
        <source>时间、地点、事实经过、涉及金额和人员</source>
        <translation>When, where, what happened, amounts and people</translation>
    </message>
    <message>
        <source>违反了哪项规定，属于什么性质的问题</source>
        <translation>Which rule was broken and what kind of problem it is</translation>
    </message>
    <message>
        <source>主体责任、监督责任、直接责任、领导责任</source>
        <translation>Principal, supervisory, direct and leadership responsibility</translation>
    </message>
    <message>
        <source>问题标题(&amp;T)：</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <source>问题现象(&amp;X)：</source>
        <translation>Facts:</translation>
    </message>
    <message>
        <source>问题定性(&amp;Q)：</source>
        <translation>Characterisation:</translation>
    </message>
    <message>
        <source>责任认定(&amp;R)：</source>
        <translation>&amp;Responsibility:</translation>
    </message>
    <message>
        <source>底稿已经组长审签，现象、定性和责任不能直接修改；如需修改请先退回。</source>
        <translation>The leader has approved this working paper: its facts, characterisation and responsibility are locked. Send it back to change them.</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>姓名，多人用顿号分隔</source>
        <translation>Names, separated by 、</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>查看来源记录</source>
        <translation>Open the source record</translation>
    </message>
    <message>
        <source>责任单位(&amp;U)：</source>
        <translation>&amp;Unit:</translation>
    </message>
    <message>
        <source>问题类别(&amp;C)：</source>
        <translation>&amp;Category:</translation>
    </message>
    <message>
        <source>违反纪律(&amp;J)：</source>
        <translation>Discipline:</translation>
    </message>
    <message>
        <source>严重程度：</source>
        <translation>Severity:</translation>
    </message>
    <message>
        <source>责任人：</source>
        <translation>People responsible:</translation>
    </message>
    <message>
        <source>承办人：</source>
        <translation>Handler:</translation>
    </message>
    <message>
        <source>经办人：</source>
        <translation>Assignee:</translation>
    </message>
    <message>
        <source>处置方式：</source>
        <translation>Disposition:</translation>
    </message>
    <message>
        <source>四种形态：</source>
        <translation>Four forms:</translation>
    </message>
    <message>
        <source>办理状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>发现日期：</source>
        <translation>Found on:</translation>
    </message>
    <message>
        <source>问题来源：</source>
        <translation>Source:</translation>
    </message>
    <message>
        <source>底稿</source>
        <translation>Working paper</translation>
    </message>
    <message>
        <source>分类与处置</source>
        <translation>Classification</translation>
    </message>
    <message>
        <source>证据材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>三审</source>
        <translation>Review chain</translation>
    </message>
    <message>
        <source>保存底稿(&amp;S)</source>
        <translation>&amp;Save working paper</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>（不属于本次巡察的单位）</source>
        <translation> (unit of another inspection)</translation>
    </message>
    <message>
        <source>（不是本次巡察组成员）</source>
        <translation> (not on this inspection's team)</translation>
    </message>
    <message>
        <source>（无来源记录）</source>
        <translation>(no source record)</translation>
    </message>
    <message>
        <source>新问题底稿</source>
        <translation>New working paper</translation>
    </message>
    <message>
        <source>问题底稿</source>
        <translation>Working paper</translation>
    </message>
    <message>
        <source>问题 {number}：{title}</source>
        <translation>Finding {number}: {title}</translation>
    </message>
    <message>
        <source>（未保存）</source>
        <translation> (unsaved)</translation>
    </message>
    <message>
        <source>没有需要保存的修改。</source>
        <translation>Nothing to save: no changes.</translation>
    </message>
    <message>
        <source>底稿已保存。</source>
        <translation>Working paper saved.</translation>
    </message>
    <message>
        <source>已{action}，当前为「{state}」。</source>
        <translation>{action}. Now: {state}.</translation>
    </message>
    <message>
        <source>提交审核</source>
        <translation>Submitted for review</translation>
    </message>
    <message>
        <source>审核通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Sent back</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>尚未保存</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>“{what}”有尚未保存的修改。</source>
        <translation>“{what}” has unsaved changes.</translation>
    </message>
    <message>
        <source>是否先保存？</source>
        <translation>Save them first?</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>放弃修改(&amp;D)</source>
        <translation>&amp;Discard changes</translation>
    </message>
    <message>
        <source>取消(&amp;C)</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>五必查</source>
        <translation>Must-check</translation>
    </message>
    <message>
        <source>六必问</source>
        <translation>Must-ask</translation>
    </message>
    <message>
        <source>四必谈</source>
        <translation>Must-talk</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>初步核实</source>
        <translation>Initial check</translation>
    </message>
    <message>
        <source>立案审查</source>
        <translation>Case filed</translation>
    </message>
    <message>
        <source>党纪政务处分</source>
        <translation>Disciplined</translation>
    </message>
    <message>
        <source>组织处理</source>
        <translation>Organisational action</translation>
    </message>
    <message>
        <source>予以了结</source>
        <translation>Closed without action</translation>
    </message>
    <message>
        <source>待移交</source>
        <translation>To hand over</translation>
    </message>
    <message>
        <source>已移交</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <source>待处置</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>整改中</source>
        <translation>Rectifying</translation>
    </message>
    <message>
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <source>已销号</source>
        <translation>Closed out</translation>
    </message>
    <message>
        <source>中层干部</source>
        <translation>Middle-level cadres</translation>
    </message>
    <message>
        <source>一般干部职工</source>
        <translation>General staff</translation>
    </message>
    <message>
        <source>年轻干部</source>
        <translation>Young cadres</translation>
    </message>
    <message>
        <source>离退休干部</source>
        <translation>Retired cadres</translation>
    </message>
    <message>
        <source>党员代表</source>
        <translation>Party member representatives</translation>
    </message>
    <message>
        <source>基层干部群众</source>
        <translation>Grassroots cadres and residents</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service users</translation>
    </message>
    <message>
        <source>常规巡察</source>
        <translation>Regular</translation>
    </message>
    <message>
        <source>专项巡察</source>
        <translation>Special</translation>
    </message>
    <message>
        <source>机动巡察</source>
        <translation>Ad hoc</translation>
    </message>
    <message>
        <source>交叉巡察</source>
        <translation>Cross</translation>
    </message>
    <message>
        <source>回头看</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>个别谈话</source>
        <translation>Individual talk</translation>
    </message>
    <message>
        <source>分类座谈</source>
        <translation>Group talk</translation>
    </message>
    <message>
        <source>约谈</source>
        <translation>Summons talk</translation>
    </message>
    <message>
        <source>提醒谈话</source>
        <translation>Reminder talk</translation>
    </message>
    <message>
        <source>诫勉谈话</source>
        <translation>Admonition talk</translation>
    </message>
    <message>
        <source>见面会</source>
        <translation>Arrival meeting</translation>
    </message>
    <message>
        <source>反馈会</source>
        <translation>Feedback meeting</translation>
    </message>
    <message>
        <source>来信</source>
        <translation>Letter</translation>
    </message>
    <message>
        <source>来电</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>网络举报</source>
        <translation>Web</translation>
    </message>
    <message>
        <source>意见箱</source>
        <translation>Mailbox</translation>
    </message>
    <message>
        <source>12345热线</source>
        <translation>12345 hotline</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>核实中</source>
        <translation>Verifying</translation>
    </message>
    <message>
        <source>已转办</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>待整改</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>已完成待销号</source>
        <translation>Done, awaiting close-out</translation>
    </message>
    <message>
        <source>承办人提交</source>
        <translation>Submitted by handler</translation>
    </message>
    <message>
        <source>副组长审核通过</source>
        <translation>Approved by deputy</translation>
    </message>
    <message>
        <source>组长审签</source>
        <translation>Signed by leader</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Sent back</translation>
    </message>
    <message>
        <source>底稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>待副组长审核</source>
        <translation>Awaiting deputy</translation>
    </message>
    <message>
        <source>待组长审签</source>
        <translation>Awaiting leader</translation>
    </message>
    <message>
        <source>已审签</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Sent back</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>General</translation>
    </message>
    <message>
        <source>较重</source>
        <translation>Major</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>信访举报</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <source>查阅资料</source>
        <translation>Document reviews</translation>
    </message>
    <message>
        <source>走访</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>必查事项</source>
        <translation>Checklist item</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>制定方案</source>
        <translation>Planning</translation>
    </message>
    <message>
        <source>巡察公告</source>
        <translation>Announcement</translation>
    </message>
    <message>
        <source>进驻</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>开展工作</source>
        <translation>Fieldwork</translation>
    </message>
    <message>
        <source>专题报告</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>反馈问题</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <source>移交线索</source>
        <translation>Clue handover</translation>
    </message>
    <message>
        <source>督促整改</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>民主测评</source>
        <translation>Democratic evaluation</translation>
    </message>
    <message>
        <source>问卷调查</source>
        <translation>Questionnaire</translation>
    </message>
    <message>
        <source>组长</source>
        <translation>Leader</translation>
    </message>
    <message>
        <source>副组长</source>
        <translation>Deputy</translation>
    </message>
    <message>
        <source>组员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>联络员</source>
        <translation>Liaison</translation>
    </message>
    <message>
        <source>党委工作部门</source>
        <translation>Party department</translation>
    </message>
    <message>
        <source>政府部门</source>
        <translation>Government department</translation>
    </message>
    <message>
        <source>人民团体</source>
        <translation>Mass organisation</translation>
    </message>
    <message>
        <source>国有企业</source>
        <translation>State-owned enterprise</translation>
    </message>
    <message>
        <source>事业单位</source>
        <translation>Public institution</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>行政村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
</context>
</TS>