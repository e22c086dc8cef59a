"""`compliance rules mutate`: does any example notice when a rule is wrong?

Each rule is changed in memory, one change at a time (a threshold nudged by one step of the
precision it is written with, `<=` ↔ `<`, an industry or project type dropped, a condition
removed, a validity date shifted by a day, the effect weakened …). A mutant is *killed* when one
of the rule's own examples gets another status for that rule, or one of the example projects in
`examples/projects/` gets another verdict or another list of failing / review rules. A mutant that
nothing notices *survives*: either an example is missing, or the change makes no difference the
form could ever show (an *equivalent* mutant), which is then listed with its reason in
`rules/mutation/mutants-equivalent.yaml`.

Mutation ids are stable strings built from the rule file's own paths (`condition.all[1].value+1step`,
`applies_to.industries-drop[coking]`, `valid_from-1day` …), so the equivalent list stays valid
while the rule files grow.

Evaluation uses the Python backend's `decide` on the mutant rule alone: every other rule of the
mutant rulebook is unchanged, so its status on a project is the unmutated run's (`apply` builds
the whole mutant rulebook; the tests check both ways agree).

The package by job: `mutants` makes the mutants (the operators), `judge` decides whether an
example notices one, `equivalents` reads the list of those that cannot be noticed, `run`
mutates a rulebook and reports, and `cli` is `compliance rules mutate`.
"""
