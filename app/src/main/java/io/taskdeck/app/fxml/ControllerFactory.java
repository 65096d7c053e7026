package io.taskdeck.app.fxml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javafx.util.Callback;

/**
 * Creates every FXML controller of the console, with its dependencies passed to its
 * constructor. A controller class that was never registered is an error, not a silent
 * reflective {@code new}: forgetting a registration fails on the first load of its view.
 */
public final class ControllerFactory implements Callback<Class<?>, Object> {

    private final Map<Class<?>, Supplier<?>> suppliers;

    private ControllerFactory(Map<Class<?>, Supplier<?>> suppliers) {
        this.suppliers = Map.copyOf(suppliers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<Class<?>> registeredTypes() {
        return suppliers.keySet();
    }

    @Override
    public Object call(Class<?> type) {
        Supplier<?> supplier = suppliers.get(type);
        if (supplier == null) {
            throw new UnregisteredControllerException(type);
        }
        Object controller = Objects.requireNonNull(supplier.get(),
                () -> "The supplier registered for " + type.getName() + " returned null");
        return type.cast(controller);
    }

    /** Thrown when an FXML names a controller the factory does not know. */
    public static final class UnregisteredControllerException extends RuntimeException {
        private final Class<?> controllerType;

        UnregisteredControllerException(Class<?> controllerType) {
            super("No controller registered for " + controllerType.getName());
            this.controllerType = controllerType;
        }

        public Class<?> controllerType() {
            return controllerType;
        }
    }

    public static final class Builder {
        private final Map<Class<?>, Supplier<?>> suppliers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers how to create a controller.
         *
         * @throws IllegalArgumentException when the type is registered already
         */
        public <T> Builder register(Class<T> type, Supplier<? extends T> supplier) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(supplier, "supplier");
            if (suppliers.putIfAbsent(type, supplier) != null) {
                throw new IllegalArgumentException(type.getName() + " is registered twice");
            }
            return this;
        }

        public ControllerFactory build() {
            return new ControllerFactory(suppliers);
        }
    }
}
