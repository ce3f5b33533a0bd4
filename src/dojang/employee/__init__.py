"""The employee service: departments, employees, positions, the manager chain and attendance."""
