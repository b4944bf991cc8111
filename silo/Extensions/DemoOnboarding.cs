using Vitrina.Accounts;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// With <c>--demo</c>, onboards every sub-folder of the bundled demo shops (deploy/demo/accounts) as an account once
/// the silo is up, so a fresh start shows a catalogue filling in.
/// </summary>
public sealed class DemoOnboarding(IGrainFactory grains, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DemoOnboarding> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // not inside the host's start-up callback
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var root = Path.GetFullPath(configuration["Vitrina:Demo:Accounts"] ?? Path.Combine(AppContext.BaseDirectory, "demo", "accounts"));
        if (!Directory.Exists(root))
        {
            logger.LogWarning("Demo accounts folder {Folder} not found; nothing onboarded", root);
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Order())
        {
            var name = Path.GetFileName(folder);
            if (!Handles.IsValid(name))
            {
                logger.LogWarning("Demo folder {Folder} is not named as a handle (1-30 letters, digits, '.' or '_'); not onboarded", folder);
                continue;
            }

            var handle = Handles.Key(name); // as the CLI keys it, so `vitrina accounts pause Shop_Anna` finds it
            try
            {
                var status = await grains.GetGrain<IAccountGrain>(handle).Onboard(new AccountSource(AccountSource.Folder, folder));
                logger.LogInformation("Demo account {Account} onboarded ({State})", handle, status.State);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A demo account the cluster could not take (its state not written) must not stop the silo with it.
                logger.LogError(e, "Demo account {Account} could not be onboarded; `vitrina accounts add {Account} --folder {Folder}` retries it",
                    handle, handle, folder);
            }
        }

        logger.LogInformation("Demo running: try `./vitrina catalogue summary` in another terminal");
    }
}
