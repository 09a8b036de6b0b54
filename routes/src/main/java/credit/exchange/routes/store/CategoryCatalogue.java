package credit.exchange.routes.store;

import credit.exchange.routes.model.RecordCategory;
import credit.exchange.security.Classification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The record categories this node knows, read once from table record_category. */
public final class CategoryCatalogue {

    private final Map<String, RecordCategory> byCode;

    private CategoryCatalogue(Map<String, RecordCategory> byCode) {
        this.byCode = byCode;
    }

    public static CategoryCatalogue load(Database database) throws SQLException {
        Map<String, RecordCategory> categories = new LinkedHashMap<>();
        try (Connection c = database.connection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "select code, name_zh, name_en, classification, double_publicity, layout from record_category order by code")) {
            while (rs.next()) {
                categories.put(rs.getString(1), new RecordCategory(rs.getString(1), rs.getString(2), rs.getString(3),
                        Classification.valueOf(rs.getString(4)), rs.getBoolean(5), rs.getString(6)));
            }
        }
        return new CategoryCatalogue(Map.copyOf(categories));
    }

    public Optional<RecordCategory> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Collection<RecordCategory> all() {
        return byCode.values();
    }
}
