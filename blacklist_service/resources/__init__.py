"""HTTP resources: one blueprint per resource; views validate, call a service, commit once."""
