from yijianshi.cases.tests.conftest import approvers, bundle, clerk, supervisor  # noqa: F401  (shared fixtures)
