package org.tasklane.worker.code;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tasklane.client.codec.ValueCodec;

/**
 * One class loader per jar set (the sorted digests a task's {@code code} names): a
 * {@link URLClassLoader} over those jars whose parent is the worker's own loader, so the JDK,
 * Jackson and the client's classes come from the worker and the user's classes from the jars. Two
 * graphs that ship two versions of a class (two jar sets) each get their own.
 *
 * <p>Tasks {@link #acquire} a loader and close their {@link Lease} when done; a loader counts the
 * tasks running with it. Results never hold user objects (they are encoded to JSON values before
 * the lease is closed), so a loader no task runs with may be closed: {@link #closeIdle} closes those
 * not used for {@code idleClose}, and at most {@code maxLoaders} stay open (the least recently used
 * idle one is closed first; loaders in use are never closed, so while more than that many run at
 * once there are more open, until they finish). A closed loader is dropped, so it and its classes
 * can be collected. Thread-safe.
 */
public final class JarLoaders implements AutoCloseable {

  /** An open loader and what uses it. Guarded by the {@link JarLoaders}' lock. */
  private static final class Loader {
    final List<String> jarSet;
    final URLClassLoader loader;
    ValueCodec codec;
    /** The methods tasks called in this loader, by {@code fn}: resolved once, dropped with the loader. */
    final Map<String, java.lang.reflect.Executable> methods = new java.util.concurrent.ConcurrentHashMap<>();
    int running;
    long lastUsedNanos;

    /** Unnamed: a named loader's name would show in every frame of a user's stack trace. */
    Loader(List<String> jarSet, URLClassLoader loader) {
      this.jarSet = jarSet;
      this.loader = loader;
    }
  }

  private final ClassLoader parent;
  private final int maxLoaders;
  private final long idleNanos;
  private final LongSupplier nanoClock;
  /** In access order: the first is the least recently used. */
  private final LinkedHashMap<List<String>, Loader> open = new LinkedHashMap<>(16, 0.75f, true);
  private long created;
  private long closed;

  /**
   * @param parent the worker's own loader
   * @param nanoClock {@code System::nanoTime}, or a test's clock
   */
  public JarLoaders(ClassLoader parent, int maxLoaders, Duration idleClose, LongSupplier nanoClock) {
    this.parent = parent;
    this.maxLoaders = maxLoaders;
    this.idleNanos = idleClose.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * The loader of this jar set (made if there is none) for one task; close the lease when the task
   * is done with it.
   *
   * @param jarSet the jars' digests, sorted, without repeats
   * @param jars their files, in the same order
   */
  public Lease acquire(List<String> jarSet, List<Path> jars) {
    Loader l;
    List<Loader> toClose;
    synchronized (this) {
      l = open.get(jarSet);
      if (l == null) {
        l = new Loader(List.copyOf(jarSet), new URLClassLoader(urls(jars), parent));
        open.put(l.jarSet, l);
        created++;
      }
      l.running++;
      l.lastUsedNanos = nanoClock.getAsLong();
      toClose = trim();
    }
    closeAll(toClose);
    return new Lease(l);
  }

  private void release(Loader l) {
    List<Loader> toClose;
    synchronized (this) {
      l.running--;
      l.lastUsedNanos = nanoClock.getAsLong();
      toClose = trim();
    }
    closeAll(toClose);
  }

  /** Over {@link #maxLoaders}: the least recently used idle loaders, taken out. Under the lock. */
  private List<Loader> trim() {
    List<Loader> out = new ArrayList<>(0);
    for (Iterator<Loader> it = open.values().iterator(); it.hasNext() && open.size() > maxLoaders; ) {
      Loader l = it.next();
      if (l.running == 0) {
        it.remove();
        out.add(l);
      }
    }
    return out;
  }

  /** Closes the loaders no task has used for {@code idleClose}; returns how many. */
  public int closeIdle() {
    List<Loader> toClose = new ArrayList<>(0);
    synchronized (this) {
      long now = nanoClock.getAsLong();
      for (Iterator<Loader> it = open.values().iterator(); it.hasNext(); ) {
        Loader l = it.next();
        if (l.running == 0 && now - l.lastUsedNanos >= idleNanos) {
          it.remove();
          toClose.add(l);
        }
      }
    }
    closeAll(toClose);
    return toClose.size();
  }

  /** How many loaders are open. */
  public synchronized int openCount() {
    return open.size();
  }

  /** The jar sets whose loaders are open, least recently used first. */
  public synchronized List<List<String>> openSets() {
    return new ArrayList<>(open.keySet());
  }

  /** How many loaders were made, and closed, since the start. */
  public synchronized long[] createdAndClosed() {
    return new long[] {created, closed};
  }

  /** Closes every loader (the worker is stopping). */
  @Override
  public void close() {
    List<Loader> all;
    synchronized (this) {
      all = new ArrayList<>(open.values());
      open.clear();
    }
    closeAll(all);
  }

  private void closeAll(List<Loader> loaders) {
    for (Loader l : loaders) {
      try {
        l.loader.close();
      } catch (IOException ignored) {
        // its jar files stay open until the loader is collected
      }
      synchronized (this) {
        closed++;
        l.codec = null;
      }
    }
  }

  private static URL[] urls(List<Path> jars) {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("not a jar path: " + jars.get(i), e);
      }
    }
    return urls;
  }

  /** One task's use of a loader. */
  public final class Lease implements AutoCloseable {
    private Loader loader;

    private Lease(Loader loader) {
      this.loader = loader;
    }

    /** The jar set's class loader. */
    public ClassLoader classLoader() {
      return loader.loader;
    }

    /** The value codec that resolves classes in this loader (one per loader, made on first use). */
    public ValueCodec codec() {
      synchronized (JarLoaders.this) {
        if (loader.codec == null) {
          loader.codec = ValueCodec.forClassLoader(loader.loader);
        }
        return loader.codec;
      }
    }

    /** The methods already resolved in this loader, by {@code fn}. */
    public Map<String, java.lang.reflect.Executable> methods() {
      return loader.methods;
    }

    /** The task is done with the loader (its result is encoded). */
    @Override
    public void close() {
      Loader l = loader;
      if (l != null) {
        loader = null;
        release(l);
      }
    }
  }
}
