global using Microsoft.Extensions.Logging;
global using Orleans;
global using Vitrina.Accounts;
global using Vitrina.Catalogue;
global using Vitrina.Classification;
global using Vitrina.Images;
