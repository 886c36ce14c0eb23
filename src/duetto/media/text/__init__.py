"""Text media: poems and prose, and the rules that shape them."""
