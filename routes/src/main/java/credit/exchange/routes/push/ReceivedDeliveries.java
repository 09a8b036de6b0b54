package credit.exchange.routes.push;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records other nodes handed to this one (table received_delivery): pulled from a city's outbox
 * or delivered as double publicity. Each message id is kept once, however often it arrives: a
 * batch pulled again after a lost acknowledgement, or delivered again after a lost answer,
 * changes nothing.
 */
public final class ReceivedDeliveries {

    /** What storing a batch did. */
    public record Stored(int stored, int alreadyHeld) {
    }

    private final Database database;

    public ReceivedDeliveries(Database database) {
        this.database = database;
    }

    public Stored store(String sender, List<PushMessages.Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return new Stored(0, 0);
        }
        String sql = """
                insert into received_delivery (sender, message_id, category, record)
                select ?, m, c, r::json from unnest(?::text[], ?::text[], ?::text[]) as t (m, c, r)
                on conflict (sender, message_id) do nothing""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sender);
            ps.setArray(2, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::messageId).toArray()));
            ps.setArray(3, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::category).toArray()));
            ps.setArray(4, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::recordJson).toArray()));
            int stored = ps.executeUpdate();
            return new Stored(stored, deliveries.size() - stored);
        } catch (SQLException e) {
            if ("22P02".equals(e.getSQLState())) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "a delivered record is not valid JSON");
            }
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be stored; retry later", e);
        }
    }

    /** How many deliveries this node holds and serves, per sender and category: not those their sender withdrew (信用修复). */
    public Map<String, Map<String, Long>> counts() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select sender, category, count(*) from received_delivery d where not exists (select 1 from withdrawn_message w"
                        + " where w.sender = d.sender and w.message_id = d.message_id) group by sender, category");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Map<String, Long>> out = new TreeMap<>();
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), s -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be read; retry later", e);
        }
    }
}
