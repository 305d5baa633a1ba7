using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Native;

public class LibtorchThreadsTests
{
    [Fact]
    public void Alone_runs_libtorch_on_the_calling_thread_by_itself_and_lends_its_threads_to_row_products_until_disposed()
    {
        Assert.True(LibtorchThreads.Available, "libtorch's OpenMP and MKL thread settings were not found");
        int before = 0, inside = 0;
        float product00 = 0;
        int rowsInside = 0, elsewhere = 0, after = 0, rowsAfter = 0, rowsBefore = 0;
        // A thread of its own, so nothing set here outlives the test on a runner's thread.
        var thread = new Thread(() =>
        {
            before = get_num_threads();
            rowsBefore = LibtorchThreads.ForRowProducts;
            using (LibtorchThreads.Alone())
            {
                inside = get_num_threads();
                rowsInside = LibtorchThreads.ForRowProducts;
                using var a = ones(256, 256);
                using var product = a.matmul(a);                              // libtorch still multiplies, on this thread
                product00 = product[0, 0].item<float>();
                var other = new Thread(() => elsewhere = get_num_threads());
                other.Start();
                other.Join();
            }
            after = get_num_threads();
            rowsAfter = LibtorchThreads.ForRowProducts;
        });
        thread.Start();
        thread.Join();

        Assert.True(before >= 2, $"libtorch has {before} thread(s) here; the test needs two (Planner:Engine:Threads)");
        Assert.Equal(1, rowsBefore);
        Assert.Equal(1, inside);
        Assert.Equal(256f, product00);
        Assert.Equal(before, rowsInside);
        Assert.Equal(before, elsewhere);                                      // other threads keep their count
        Assert.Equal(before, after);
        Assert.Equal(1, rowsAfter);
    }
}
