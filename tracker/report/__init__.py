"""Reports: the weekly progress summary (周报) and the task ledger (台账).

``weekly.compute_weekly`` computes a ``WeeklyReport`` once (SQL in ``figures.py``, past states
in ``asof.py``, task objects in ``taskobj.py``); ``sections.py`` lays it out as titled tables
that ``render_text`` (rich), ``render_md``, ``render_html`` (inline SVG from ``chart.py``) and
``render_xlsx`` (openpyxl) draw; ``render_json`` writes the cli.md contract. ``ledger.py``
exports the ledger, ``ledger_import.py`` reads an edited one back. Nothing here imports typer;
rich and openpyxl are imported inside the functions that draw with them.

Choices the contract (cli.md) leaves open, made here:

- **As of.** A week's report shows the state at the end of its *as-of day*,
  ``min(to, today)``: the end of Sunday for a past week, the end of today for the current one.
  A whole day rather than the wall clock, so that a report is repeatable: run twice over the
  same data (even on different days, for a past week) it is identical apart from ``today``.
  Task states are rebuilt from the event log for the tasks changed since (``asof.py``); plan
  fields (titles, owners, planned dates) are the plan as loaded now.
- **Overdue** at the as-of day: due before it and todo, doing or blocked then; **due to date**:
  due (the effective deadline then, after postponements) on or before it; **on time**: done or
  verified with ``date(done_at) <= due``; a done task without a ``done_at`` counts as late.
- **Units** (JSON ``units``, the ranking and the 红黑榜) count the instances each unit *owns*
  (cli.md defines no roll-up for the report, unlike ``list --owner``), so the figures of all
  listed units add up to the totals and a parent is not ranked on its children's work. Listed in
  JSON are the units owning at least one instance, ranked by ``on_time_rate`` (best first;
  ties: fewer overdue first; a full tie shares its rank, 1, 1, 3). A unit with nothing due yet
  has ``on_time_rate`` null and ``rank`` null, and is listed last.
- **Rankings by peer group** (cli-v2.md ``rankings``, ``rankings.py``): one entry per ``kind``
  in the order the groups first appear among the plan's units (a group with no ranked unit is
  not listed); units with ``rank = false`` are left out; within a group the units are ranked as
  above. 红榜 = rank ≤ 3, 黑榜 = the rank counted from the worst end ≤ 3 (worst first), a unit
  on both is on neither, so a tie at a cut-off is always taken whole. The top-level ``red`` and
  ``black`` (JSON extras) are the groups' lists one after the other; the human 红榜/黑榜 tables
  list them with a group column when there are several groups, and the workbook has a sheet of
  every ranked unit by group, marked 红榜/黑榜. ``units[].rank`` stays version 1's rank across
  all units that own instances, but for the units with ``rank = false``: out of every ranking,
  they have ``rank`` null there too and are listed after the ranked ones.
- **Unit roll-up** (合计含下级). The per-owner figures are added up the ``parent`` tree (in
  Python, over the grouped rows: never per instance). JSON, additive: each ``units`` entry has
  ``subtree`` ``{tasks, due_to_date, done, overdue, on_time_rate}`` over the unit and every unit
  below it, and ``unit_tree`` lists, in tree order, every unit with an instance anywhere in its
  subtree as ``{key, name, parent, depth, own, subtree}`` (a unit owning nothing has zero
  ``own`` figures). The human unit table shows that tree: a unit whose lower units own
  instances gets a row "X（合计含下级）" with its subtree figures, then, one level in, a row
  "X（本级）" with its own figures and rank (when it owns any) beside its lower units; other
  units get one row with their own figures and rank. Units with no instance anywhere in their
  subtree are left out.
- **Several plans** (``multi.py``). ``--plan ID`` chooses one; with one plan in the database
  it is used. With several and no ``--plan``, they are reported together: the JSON has every
  key of the single-plan report over all the plans — ``plan`` null, ``plans`` the plan ids,
  ``title`` null, ``totals``/``previous`` the sums (rates recomputed from them), ``campaigns``,
  ``units``, ``unit_tree``, ``rankings``, ``indicators``, ``problems`` and ``overdue_by_unit``
  each plan's rows one after the other with a ``plan`` key, the task lists (``risks`` too)
  concatenated (task objects name their plan), ``chart`` summed
  per week — and ``reports``, each plan's own report object, exactly what ``--plan ID`` prints.
  The human formats start with a 各计划合计 table (one row per plan and the total), then each
  plan's tables titled with the plan's title (no chart). ``--to`` still needs one plan.
- **Monthly and quarterly** (``periods.py``): the same report over a calendar month
  (``--month 2020-04``, also ``2020-4``, ``202004`` or a date in it) or a quarter
  (``--quarter 2020-Q2``, also ``2020q2`` or a date in it); default the one holding today. The
  JSON has ``month``/``quarter`` in place of ``week``; ``done_this_week`` holds the tasks done
  in the period, ``due_next_week`` those due in the next month or quarter; ``previous`` is the
  end of the period before. The chart stays weekly.
- **As it stood** (cli-v2.md): the instances created after the as-of day (``created_at``, the
  effective date of the reload or ``add`` that created them, ``--today`` where given) are
  treated as withdrawn at that moment: they count and are listed nowhere. The instances of the
  plan's first load (the earliest ``created_at`` of its plan instances) always count. The
  index ``tasks_created`` (m012) makes both reads seeks.
- **Language.** ``--lang``/``TRACKER_LANG`` when given; else the plan's ``lang``; else the
  default (``LANG``).
- **Lists.** ``done_this_week``: done or verified at the as-of moment with ``done_at`` in the
  week, with ``done_by`` (who moved it to done); ``overdue``: high priority first, then oldest due,
  with ``days_overdue``; ``due_next_week``: every non-withdrawn instance due in the following
  Monday..Sunday (the next period), whatever its status; ``blocked``: with ``blocked_reason``;
  JSON extra
  ``postponed`` (延期): postponed at least once, with ``planned_due`` and ``postpone_reason``.
  Text, Markdown and HTML show the first ``--limit`` (50) rows of each list and say how many
  more there are; JSON and xlsx hold them all.
- **Previous week** (the changes shown beside the overall figures, JSON ``previous``): the same
  figures at the end of the day before the week's Monday.
- **Campaign ``target``/``progress``**: the sums of the campaign's ``measure = "sum"``
  indicators when they all share one unit (0 when it has none), else null (cli-v2.md); page one
  shows every indicator with its 序时进度 and gap (``outcomes.py``, ``pageone.py``,
  docs/report.md).
- **Chart**: per week from the first campaign's start to the report's week, instances due by
  the week's end against instances done then. "Done then" is counted from the event log (every
  change into or out of done/verified), so reopened and withdrawn tasks leave the count.

Performance: one grouped pass over the plan's tasks (plus one over its late-done ones), index
range reads for the lists, and work proportional to the tasks changed since the as-of moment.
An index on ``tasks(plan, campaign, owner, status, due, done_at)`` turns the pass into a
covering-index scan (``figures.py``).
"""
