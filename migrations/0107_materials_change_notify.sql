-- Library entries are read on every application that reuses them, and kept in memory by each
-- process (MaterialsService). Entries are written once today; should one ever be changed or
-- removed, every process must drop it at once: the same notice as identity data (0004).
CREATE TRIGGER materials_changed AFTER UPDATE OR DELETE ON materials FOR EACH ROW EXECUTE FUNCTION tongban_row_changed('material', 'id');
