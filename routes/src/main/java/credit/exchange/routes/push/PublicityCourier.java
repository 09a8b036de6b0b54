package credit.exchange.routes.push;

import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Push mode's attempt (the national double-publicity push, 双公示): the due record versions go to
 * the partner in one sealed {@code publicity} exchange, each under its message id
 * ({@code <node>:outbox:<id>}, kept once by the receiver); the partner's signed receipt of the
 * batch delivers them all, a failure fails them all. The retry policy is the partner file's
 * {@code push.retry}.
 */
public final class PublicityCourier implements Courier {

    private final String self;
    private final PartnerClient client;
    private final Database database;

    public PublicityCourier(String self, PartnerClient client, Database database) {
        this.self = self;
        this.client = client;
        this.database = database;
    }

    @Override
    public DeliveryKind kind() {
        return DeliveryKind.PUBLICITY;
    }

    @Override
    public RetryPolicy policy(Optional<Partner> partner) {
        return RetryPolicy.of(partner.flatMap(Partner::push).map(Partner.Push::retry).orElse(Partner.DeliveryRetry.DEFAULT));
    }

    @Override
    public int batch(Optional<Partner> partner) {
        return partner.flatMap(Partner::push).map(Partner.Push::maxBatch).orElse(Partner.Push.DEFAULT_MAX_BATCH);
    }

    @Override
    public Map<Long, Result> attempt(Partner partner, List<Due> due) {
        Result result;
        try {
            List<PushMessages.Delivery> batch = batch(due);
            PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.PUBLICITY, PushMessages.batch(batch));
            result = new Reached(answered.receipt().messageId());
        } catch (CodedException e) {
            result = new Failed(e.code(), e.getMessage());
        }
        Map<Long, Result> out = new HashMap<>();
        for (Due d : due) {
            out.put(d.id(), result);
        }
        return out;
    }

    /** The due deliveries as the batch carries them: message id, deadline, dataset and the record as partners receive it. */
    private List<PushMessages.Delivery> batch(List<Due> due) {
        List<PushMessages.Delivery> batch = new ArrayList<>(due.size());
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select o.id, r.category, %s
                from unnest(?::bigint[], ?::bigint[]) as o (id, record_id) %s
                order by o.id""".formatted(RecordJoins.RECORD_JSON, RecordJoins.recordAndSubject("o.record_id")))) {
            ps.setArray(1, c.createArrayOf("bigint", due.stream().map(Due::id).toArray()));
            ps.setArray(2, c.createArrayOf("bigint", due.stream().map(Due::recordId).toArray()));
            Map<Long, Due> byId = new HashMap<>();
            due.forEach(d -> byId.put(d.id(), d));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    batch.add(new PushMessages.Delivery(PushMessages.messageId(self, id), byId.get(id).deadline(), rs.getString(2),
                            rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the records to deliver cannot be read; tried again after the pause", e);
        }
        return batch;
    }
}
