package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.swing.Icon;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;

/**
 * The article's weather program, in Swing: a blocking call handed to a background thread, its result posted back.
 * "Fetch forecast" disables itself and starts a spinner that a {@link DispatcherTimer} at {@link
 * DispatcherPriority#RENDER} turns on the EDT; a {@code weather-fetcher} thread waits for a slow (simulated) server
 * and hands the forecast to the EDT with {@code ui.post(...)}, the equivalent of WPF's {@code BeginInvoke}. Only
 * then are the widgets touched again: the text and a picture show the forecast, the spinner stops, the button is
 * enabled again. The fetcher never touches a Swing component.
 */
final class WeatherTab extends JPanel {
    static final String FETCH = "Fetch forecast";
    static final String CONTACTING = "Contacting server...";

    private final Dispatcher ui;
    private final Duration serverDelay;
    private final DispatcherTimer spin;
    final JButton fetch = new JButton(FETCH);
    final JLabel status = new JLabel(" ");
    final JLabel forecast = new JLabel("(no forecast yet)", SwingConstants.CENTER);
    final Spinner spinner = new Spinner();
    private int fetches;

    WeatherTab(Dispatcher ui, Duration serverDelay) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        this.serverDelay = serverDelay;
        add(Text.intro("Weather: a blocking call on a background thread, the result posted back",
                "Clicking the button disables it and starts the spinner (a DispatcherTimer at RENDER on the EDT)."
                        + " A 'weather-fetcher' thread waits " + serverDelay.toMillis() + " ms for a slow server,"
                        + " then hands the forecast to the EDT with ui.post(...); only that posted operation touches"
                        + " the widgets again. The window stays live meanwhile: the spinner keeps turning."),
                BorderLayout.NORTH);

        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        fetch.setName("weather.fetch");
        fetch.addActionListener(e -> fetchClicked());
        row.add(fetch);
        row.add(spinner);
        status.setName("weather.status");
        row.add(status);

        forecast.setName("weather.forecast");
        forecast.setFont(forecast.getFont().deriveFont(Font.BOLD, 24f));
        forecast.setHorizontalTextPosition(SwingConstants.RIGHT);
        forecast.setIconTextGap(18);
        JPanel center = new JPanel(new BorderLayout());
        center.add(row, BorderLayout.NORTH);
        center.add(forecast, BorderLayout.CENTER);
        add(center, BorderLayout.CENTER);

        spin = new DispatcherTimer(DispatcherPriority.RENDER, ui);
        spin.setInterval(Duration.ofMillis(40));
        spin.addTickHandler(t -> spinner.advance());
    }

    /** The click handler: returns at once; the blocking call goes to another thread. */
    void fetchClicked() {
        ui.verifyAccess();
        fetch.setEnabled(false);
        status.setText(CONTACTING);
        forecast.setText(" ");
        forecast.setIcon(null);
        spin.start();
        int number = ++fetches;
        Thread fetcher = new Thread(() -> {
            String weather = fetchFromServer();
            ui.post(() -> updateUserInterface(weather, number)); // back to the EDT, at NORMAL
        }, "weather-fetcher");
        fetcher.setDaemon(true); // a fetch in flight must not keep the JVM alive once the window is gone
        fetcher.start();
    }

    /** On the fetcher: the slow server. Knows nothing about Swing. */
    private String fetchFromServer() {
        try {
            TimeUnit.NANOSECONDS.sleep(serverDelay.toNanos()); // the network
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ThreadLocalRandom.current().nextBoolean() ? "rainy" : "sunny"; // the article's forecasting method
    }

    /** Posted by the fetcher: runs on the EDT, so it may touch the widgets. */
    private void updateUserInterface(String weather, int number) {
        ui.verifyAccess();
        spin.stop();
        forecast.setIcon(new WeatherIcon(weather));
        forecast.setText("Tomorrow: " + weather);
        status.setText("forecast #" + number + " arrived on '" + Thread.currentThread().getName() + "' after "
                + spinner.frame() + " spinner frames");
        fetch.setEnabled(true);
    }

    void stop() {
        spin.stop();
    }

    /** A spinner: twelve spokes, one brighter, turned one step per frame. */
    static final class Spinner extends JComponent {
        private int frame;

        Spinner() {
            setPreferredSize(new Dimension(28, 28));
        }

        void advance() {
            frame++;
            repaint();
        }

        int frame() {
            return frame;
        }

        @Override
        protected void paintComponent(Graphics g) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            double cx = getWidth() / 2.0;
            double cy = getHeight() / 2.0;
            double r = Math.min(getWidth(), getHeight()) / 2.0 - 2;
            for (int i = 0; i < 12; i++) {
                int age = Math.floorMod(frame - i, 12);
                g2.setColor(new Color(40, 90, 160, 255 - age * 19));
                double a = i * Math.PI / 6;
                g2.drawLine((int) (cx + Math.cos(a) * r * 0.45), (int) (cy + Math.sin(a) * r * 0.45),
                        (int) (cx + Math.cos(a) * r), (int) (cy + Math.sin(a) * r));
            }
            g2.dispose();
        }
    }

    /** The forecast's picture: a sun or a raining cloud, drawn. */
    static final class WeatherIcon implements Icon {
        private final boolean sunny;

        WeatherIcon(String weather) {
            this.sunny = "sunny".equals(weather);
        }

        @Override
        public void paintIcon(Component c, Graphics g, int x, int y) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.translate(x, y);
            if (sunny) {
                g2.setColor(new Color(250, 190, 30));
                g2.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                for (int i = 0; i < 8; i++) {
                    double a = i * Math.PI / 4;
                    g2.drawLine((int) (48 + Math.cos(a) * 30), (int) (48 + Math.sin(a) * 30),
                            (int) (48 + Math.cos(a) * 44), (int) (48 + Math.sin(a) * 44));
                }
                g2.fillOval(24, 24, 48, 48);
            } else {
                g2.setColor(new Color(60, 120, 220));
                g2.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                for (int i = 0; i < 5; i++) {
                    int dx = 18 + i * 15;
                    g2.drawLine(dx, 62, dx - 6, 84);
                }
                g2.setColor(new Color(150, 160, 175));
                g2.fillOval(8, 30, 40, 34);
                g2.fillOval(28, 14, 46, 46);
                g2.fillOval(52, 30, 38, 32);
                g2.fillRect(26, 44, 46, 20);
            }
            g2.dispose();
        }

        @Override
        public int getIconWidth() {
            return 96;
        }

        @Override
        public int getIconHeight() {
            return 96;
        }
    }
}
