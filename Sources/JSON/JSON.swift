// JSON module. Placeholder until its issue lands.
