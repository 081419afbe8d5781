package dev.floe.app.plain;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * Creates the route beans outside a CDI container, honouring the same {@code @Inject} (constructor and fields) and
 * {@code @PostConstruct} annotations the application's container reads, so that each bean is wired one way only. One
 * instance per type, created on first use; types it cannot construct itself (configuration, metrics registry, Camel's
 * services) are given to it by {@link #provide}.
 */
final class RouteBeanFactory {

    private final Map<Class<?>, Object> instances = new HashMap<>();
    private final Map<Class<?>, Supplier<?>> providers = new HashMap<>();
    private final Map<Class<?>, Consumer<Object>> created = new HashMap<>();

    <T> RouteBeanFactory provide(Class<T> type, Supplier<? extends T> provider) {
        providers.put(type, provider);
        return this;
    }

    /** What to do with a bean of this type once it is wired, as the application does with it at start-up. */
    <T> RouteBeanFactory whenCreated(Class<T> type, Consumer<? super T> action) {
        created.put(type, bean -> action.accept(type.cast(bean)));
        return this;
    }

    synchronized <T> T get(Class<T> type) {
        Object bean = instances.get(type);
        if (bean == null) {
            Supplier<?> provider = providers.get(type);
            bean = provider != null ? provider.get() : create(type);
            instances.put(type, bean);
            created.getOrDefault(type, b -> {
            }).accept(bean);
        }
        return type.cast(bean);
    }

    /** The instance of a type if it was created, for closing it; null otherwise. */
    synchronized <T> T created(Class<T> type) {
        return type.cast(instances.get(type));
    }

    private Object create(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalStateException("no bean of type " + type.getName() + " for the Floe route beans");
        }
        try {
            Constructor<?> constructor = constructor(type);
            constructor.setAccessible(true);
            Object[] args = Arrays.stream(constructor.getParameterTypes()).map(this::get).toArray();
            Object bean = constructor.newInstance(args);
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(Inject.class)) {
                        field.setAccessible(true);
                        field.set(bean, get(field.getType()));
                    }
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(PostConstruct.class)) {
                    method.setAccessible(true);
                    method.invoke(bean);
                }
            }
            return bean;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException("cannot create " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }

    private static Constructor<?> constructor(Class<?> type) throws NoSuchMethodException {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (constructor.isAnnotationPresent(Inject.class)) {
                return constructor;
            }
        }
        return type.getDeclaredConstructor();
    }
}
