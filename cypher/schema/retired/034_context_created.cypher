// Retired: createdAt alone, superseded by context_created_id (createdAt, id). With both, the
// embedded engine may pick either for a range on createdAt, and only the pair gives a
// listing its order (createdAt, then id) without a sort.
DROP INDEX context_created IF EXISTS
