// Runtime module. Placeholder until its issue lands.
