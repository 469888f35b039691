-- 0045_direct_dependencies: a project's direct dependencies (Store.DirectDependencies:
-- a person's page reads those of their most active projects, the
-- recommendation model those of every project) from an index that holds
-- only them, instead of every dependency of the project by the primary key,
-- filtered: a fifth of the rows of the hub's 50,000-project load estate,
-- whose projects have 20 direct dependencies among 100. The query names the
-- condition as the index does (d.direct, no parameter) so that the planner
-- can use a partial index.

CREATE INDEX dependencies_direct ON dependencies (project_id) WHERE direct;
