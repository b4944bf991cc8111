using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vitrina.ClusterHarness;

/// <summary>
/// One real silo as a separate operating-system process (the built <c>vitrina-silo.dll</c>), with its own working
/// folder, ports and log file: what kill -9 and rolling-restart scenarios need, which in-process test clusters cannot give.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private SiloProcess(int index, Process process, StreamWriter log, string httpUrl, string logPath)
    {
        Index = index;
        this.process = process;
        this.log = log;
        HttpUrl = httpUrl;
        LogPath = logPath;
    }

    public int Index { get; }
    public string HttpUrl { get; }
    public string LogPath { get; }
    public int Pid => process.Id;
    public int SiloPort { get; internal set; }
    public bool Running => !process.HasExited;
    public int ExitCode => process.ExitCode;

    public static SiloProcess Start(int index, string workFolder, IReadOnlyDictionary<string, string> settings, int httpPort)
    {
        Directory.CreateDirectory(workFolder);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltProgram.Silo);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var url = $"http://127.0.0.1:{httpPort}";
        start.ArgumentList.Add($"--urls={url}");
        var logPath = System.IO.Path.Combine(workFolder, $"silo-{index}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(index, process, log, url, logPath);
    }

    /// <summary>Waits for <c>/readyz</c>; a silo that exits first fails with the end of its log.</summary>
    public async Task WaitReady(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"silo {Index} exited with {process.ExitCode}: {Tail()}");
            }

            try
            {
                if ((await http.GetAsync($"{HttpUrl}/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"silo {Index} not ready after {timeout}: {Tail()}");
    }

    /// <summary>Waits for the process to end on its own; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a process manager or Kubernetes stops a silo, then waits for it to drain and exit.</summary>
    public async Task Stop(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = SendSignal(process.Id, Sigterm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"silo {Index} did not stop within {timeout} of SIGTERM: {Tail()}");
        }
    }

    public string Tail(int lines = 15)
    {
        log.Flush();
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
