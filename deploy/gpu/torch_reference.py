"""The paper's Model 1 (colour) and Model 2 (category) in Python PyTorch, timed the way `vitrina-bench classifier`
times Vitrina's model host: uint8 RGB photos copied to the device, normalised there, both models run, softmax and
top-2 brought back. Weights are random: throughput does not depend on them. Used by gpu-check.sh."""
import os, sys, time
import torch
from torch import nn

def model1(classes=7):
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(128, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 128, 512), nn.ReLU(), nn.Linear(512, classes))

def model2(classes=6):
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5),
        nn.Linear(17 * 17 * 128, 512), nn.ReLU(), nn.Linear(512, classes))

def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    seconds = float(os.environ.get("SECONDS_PER_POINT", "2"))
    batches = [int(b) for b in os.environ.get("BATCHES", "1,8,32,128,512").split(",")]
    m1, m2 = model1().to(device).eval(), model2().to(device).eval()
    print(f"python torch {torch.__version__} on {torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu'}")
    print("| batch | PyTorch fp32 (img/s) | fp32, page-locked input | PyTorch fp16 (img/s) | fp16, page-locked input |")
    print("|---:|---:|---:|---:|---:|")
    for batch in batches:
        pageable = torch.randint(0, 255, (batch, 150, 150, 3), dtype=torch.uint8)
        locked = pageable.pin_memory() if device.type == "cuda" else pageable
        rates = []
        for dtype, pixels in ((torch.float32, pageable), (torch.float32, locked), (torch.float16, pageable), (torch.float16, locked)):
            a, b = m1.to(dtype), m2.to(dtype)
            def step():
                x = pixels.to(device, non_blocking=True).permute(0, 3, 1, 2).to(dtype).div_(255)
                with torch.inference_mode():
                    for logits in (a(x), b(x)):
                        p = torch.softmax(logits.float(), 1)
                        p.topk(2, 1)[0].cpu()
            step()
            if device.type == "cuda":
                torch.cuda.synchronize()
            start, done = time.perf_counter(), 0
            while time.perf_counter() - start < seconds:
                step()
                done += batch
            rates.append(done / (time.perf_counter() - start))
        print(f"| {batch} | {rates[0]:.0f} | {rates[1]:.0f} | {rates[2]:.0f} | {rates[3]:.0f} |")

if __name__ == "__main__":
    sys.exit(main())
