package io.splitheap.systemtests.programs;

import java.beans.XMLDecoder;
import java.beans.XMLEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A program whose arrays the JDK finds by itself: JMX reads an MXBean's {@code long[]} and {@code double[]}
 * attributes for a client connected over RMI on the loopback address (the JDK serializes them), and
 * {@code java.beans.XMLEncoder} a bean's {@code int[]} property, each by calling the getter reflectively. It prints what the JDK saw, one line each, then the same for what the program itself holds; under the
 * agent with every array far the lines must not change.
 */
public final class JdkReflectionProgram
{
    private JdkReflectionProgram()
    {
    }

    /**
     * An MXBean with array attributes.
     */
    public interface ValuesMXBean
    {
        /**
         * Values.
         *
         * @return the values.
         */
        long[] getValues();

        /**
         * Weights.
         *
         * @return the weights.
         */
        double[] getWeights();
    }

    /**
     * The MXBean.
     */
    public static final class Values implements ValuesMXBean
    {
        private final long[] values;
        private final double[] weights;

        Values(final long[] values, final double[] weights)
        {
            this.values = values;
            this.weights = weights;
        }

        @Override
        public long[] getValues()
        {
            return values;
        }

        @Override
        public double[] getWeights()
        {
            return weights;
        }
    }

    /**
     * A Java bean with an array property.
     */
    public static final class Counts
    {
        private int[] counts;

        /**
         * An empty bean.
         */
        public Counts()
        {
        }

        /**
         * The counts.
         *
         * @return the counts.
         */
        public int[] getCounts()
        {
            return counts;
        }

        /**
         * Sets the counts.
         *
         * @param counts the counts.
         */
        public void setCounts(final int[] counts)
        {
            this.counts = counts;
        }
    }

    /**
     * Runs the program.
     *
     * @param args the arrays' length.
     * @throws Exception if JMX or java.beans fail.
     */
    public static void main(final String[] args) throws Exception
    {
        final int n = Integer.parseInt(args[0]);
        final long[] values = new long[n];
        final double[] weights = new double[n];
        final int[] counts = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = 3L * i + 1;
            weights[i] = i * 0.5;
            counts[i] = n - i;
        }
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName("io.splitheap.systemtests:type=Values");
        server.registerMBean(new Values(values, weights), name);
        print("jmx long[]", (long[])server.getAttribute(name, "Values"));
        print("jmx double[]", (double[])server.getAttribute(name, "Weights"));
        // A JMX client, as a monitoring console is: the server's JDK code serializes the attributes.
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        final JMXConnectorServer connector = JMXConnectorServerFactory.newJMXConnectorServer(
            new JMXServiceURL("service:jmx:rmi://127.0.0.1"), null, server);
        connector.start();
        try (JMXConnector client = JMXConnectorFactory.connect(connector.getAddress()))
        {
            final MBeanServerConnection remote = client.getMBeanServerConnection();
            print("jmx remote long[]", (long[])remote.getAttribute(name, "Values"));
            print("jmx remote double[]", (double[])remote.getAttribute(name, "Weights"));
        }
        finally
        {
            connector.stop();
        }

        final Counts bean = new Counts();
        bean.setCounts(counts);
        final ByteArrayOutputStream xml = new ByteArrayOutputStream();
        try (XMLEncoder encoder = new XMLEncoder(xml))
        {
            encoder.writeObject(bean);
        }
        try (XMLDecoder decoder = new XMLDecoder(new ByteArrayInputStream(xml.toByteArray())))
        {
            print("java.beans int[]", ((Counts)decoder.readObject()).getCounts());
        }
        print("program long[]", values);
        print("program double[]", weights);
        print("program int[]", counts);
    }

    private static void print(final String what, final Object array)
    {
        final String text = array instanceof long[] ? Arrays.toString((long[])array) :
            array instanceof double[] ? Arrays.toString((double[])array) : Arrays.toString((int[])array);
        System.out.println(what + " hash=" + text.hashCode() + " length=" + java.lang.reflect.Array.getLength(array));
    }
}
