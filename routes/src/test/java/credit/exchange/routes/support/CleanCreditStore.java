package credit.exchange.routes.support;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test an empty credit store on the shared embedded PostgreSQL, and a fresh
 * {@link TestNode} over it as a constructor or method parameter:
 *
 * <pre>{@code
 * @ExtendWith(CleanCreditStore.class)
 * class SomethingTest {
 *     private final TestNode node;
 *     SomethingTest(TestNode node) { this.node = node; }
 * }
 * }</pre>
 */
public final class CleanCreditStore implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) {
        EmbeddedCreditStore.clean();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return TestNode.onSharedStore();
    }
}
