"""Read models projected from the event store, and the follower that feeds them."""
