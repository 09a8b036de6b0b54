package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each command of the tree is in exactly one of {@link OperatorCommands}' reviewed lists, and each listed command exists. */
class OperatorCommandsClassifiedTest {

    @Test
    void everyCommand_isClassifiedOnce_asChangingState_readOnly_orTouchingNoNode() {
        List<String> problems = new ArrayList<>();
        for (String command : OperatorCommands.all()) {
            int lists = (OperatorCommands.CHANGE_STATE.containsKey(command) ? 1 : 0) + (OperatorCommands.READ_ONLY.contains(command) ? 1 : 0)
                    + (OperatorCommands.NO_NODE_STATE.contains(command) ? 1 : 0);
            if (lists != 1) {
                problems.add("gatewayctl " + command + " is in " + lists + " lists: does it change a node's state (then it must leave"
                        + " an audit event naming the operator), only read it, or touch no node?");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyClassifiedCommand_existsInTheTree() {
        Set<String> listed = new TreeSet<>(OperatorCommands.CHANGE_STATE.keySet());
        listed.addAll(OperatorCommands.READ_ONLY);
        listed.addAll(OperatorCommands.NO_NODE_STATE);
        listed.removeAll(OperatorCommands.all());
        assertEquals(Set.of(), listed, "listed but no such command");
    }
}
