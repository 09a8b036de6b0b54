package credit.exchange.gateway.cli;

import credit.exchange.security.access.Caller;
import credit.exchange.security.access.PartnerGrant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Who a command acts as: the operator on the node's host, named in the audit trail by the
 * account that runs the command.
 */
final class CliOperator {

    private CliOperator() {
    }

    /** The account running the command (its login name), as the audit events of its actions name it. */
    static String name() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "operator" : user.strip();
    }

    /** The operator as a caller of the access policy, named by the account. */
    static Caller caller() {
        return new Caller(Caller.Kind.OPERATOR, name(), PartnerGrant.none(), Optional.empty(), EnumSet.allOf(Caller.Duty.class));
    }
}
