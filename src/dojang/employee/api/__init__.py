"""HTTP routes of the employee service: departments, employees and attendance."""
