package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.partner.Partner;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What this node does with one kind of alliance notice it receives. {@link #receive} runs in the
 * transaction that keeps the notice, so that what it changes and the notice commit together; it
 * returns the answer's fields, or throws a CodedException to refuse the notice with its code.
 */
@FunctionalInterface
public interface NoticeKind {

    ObjectNode receive(Connection c, Partner sender, NoticeReceiver.Received notice) throws SQLException;
}
