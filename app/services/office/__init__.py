"""The 巡察办's use cases over the master database (Qt-free).

coverage     全覆盖: which units were inspected in the term, which are planned, which never were
stages       the stage timeline, what an inspection needs next, moving it on
team_forming 人才库/组长库: proposing a team by expertise and workload, 回避, 一次一授权
followup     整改: items, 整改方案 and 双报告 due dates, 销号, 回头看 carry-over, 督办函
clue_ledger  问题线索 handed over and the outcomes reported back
dashboard    the statistics the office reports, with 同比, and their Excel/PDF export
unit_excel   the unit directory to and from Excel
workdays     working days (weekends, holidays, 调休) and the office's settings
"""
