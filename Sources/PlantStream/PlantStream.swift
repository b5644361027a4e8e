// PlantStream module. Placeholder until its issue lands.
