// Topology module. Placeholder until its issue lands.
