"""The organising cycle: institutions, priorities, campaigns and power analysis, pledges, evaluation,
CAG forums and the leader pipeline."""
