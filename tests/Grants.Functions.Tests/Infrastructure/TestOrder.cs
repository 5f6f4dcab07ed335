using Xunit.Sdk;
using Xunit.v3;

[assembly: TestMethodOrderer(typeof(Grants.Functions.Tests.Infrastructure.TestOrder))]

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// Runs a class's tests by name. Tests of one class share a host whose clock they move, so what a test
/// meets depends on the tests before it; xunit's own order follows the assembly's path, so a clone here
/// and CI's checkout ran them differently and one could fail only there. By name, every checkout runs
/// the same order, and a test that depends on it fails everywhere alike.
/// </summary>
public sealed class TestOrder : ITestMethodOrderer
{
    public IReadOnlyCollection<TTestMethod?> OrderTestMethods<TTestMethod>(IReadOnlyCollection<TTestMethod?> testMethods)
        where TTestMethod : notnull, ITestMethod =>
        [.. testMethods.OrderBy(m => m?.MethodName, StringComparer.Ordinal)];
}
