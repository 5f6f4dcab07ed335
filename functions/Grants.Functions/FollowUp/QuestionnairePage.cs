using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grants.Functions.FollowUp;

/// <summary>
/// The questionnaire as one server-rendered page: Dutch or English, plain form controls with labels and
/// fieldsets, an error summary that links to the fields, no scripts — it works in any browser and with
/// assistive technology. The pages are Razor components (<see cref="QuestionnaireFormPage"/>,
/// <see cref="QuestionnaireNoticePage"/>) rendered to a string, so that every value they show is
/// HTML-encoded unless a component says otherwise (none does).
/// </summary>
public static class QuestionnairePage
{
    /// <summary>The components take no services; the renderer needs a provider all the same.</summary>
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    /// <summary>The handler's view as its page, or its failure as a problem response.</summary>
    public static async Task<IResult> RespondAsync(Result<QuestionnaireView> result) =>
        result.Failure is { } failure ? ResultResponses.Problem(failure) : await RenderAsync(result.Value!);

    /// <summary>
    /// The page with its status: the form 200 (422 when answers were refused), a link that opens nothing 404,
    /// a used one 409, a closed wave 410, thanks for the submitted answers 200.
    /// </summary>
    public static async Task<IResult> RenderAsync(QuestionnaireView view) => view switch
    {
        QuestionnaireForm form => new HtmlPage(await HtmlAsync(form), form.Errors is { Count: > 0 } ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK),
        QuestionnaireNotice notice => new HtmlPage(await HtmlAsync(notice), notice.Notice switch
        {
            QuestionnaireNotices.LinkDoesNotWork => StatusCodes.Status404NotFound,
            QuestionnaireNotices.AlreadySubmitted => StatusCodes.Status409Conflict,
            QuestionnaireNotices.Closed => StatusCodes.Status410Gone,
            _ => StatusCodes.Status200OK,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Not a questionnaire page."),
    };

    /// <summary>The page's HTML.</summary>
    public static Task<string> HtmlAsync(QuestionnaireView view) => view switch
    {
        QuestionnaireForm form => RenderAsync<QuestionnaireFormPage>(form),
        QuestionnaireNotice notice => RenderAsync<QuestionnaireNoticePage>(notice),
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Not a questionnaire page."),
    };

    private static async Task<string> RenderAsync<TPage>(QuestionnaireView view)
        where TPage : IComponent
    {
        await using var renderer = new HtmlRenderer(NoServices, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var page = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["View"] = view }));
            return page.ToHtmlString();
        });
    }
}
